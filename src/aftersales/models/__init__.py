"""ORM models, one file per aggregate; importing this package registers every table."""

from aftersales.models.account import (
    ApiToken,
    Invitation,
    LoginAttempt,
    Membership,
    Role,
    User,
)
from aftersales.models.alert import (
    Alert,
    AlertDelivery,
    AlertRule,
    AlertRuleKind,
    ChannelKind,
    DeliveryStatus,
    NotificationChannel,
)
from aftersales.models.catalog import Product, ProductPrice
from aftersales.models.claim import Claim, ClaimEvent, ClaimStatus, ClaimType
from aftersales.models.disposition_settings import DispositionSettings
from aftersales.models.feedback import SellerFeedback
from aftersales.models.import_job import ImportJob, ImportJobStatus
from aftersales.models.imports import ImportBatch, ImportStatus
from aftersales.models.inventory import InventorySnapshot
from aftersales.models.marketplace import MarketplaceRow
from aftersales.models.orders import Order, OrderItem, ShipmentItem
from aftersales.models.removals import RemovalOrder, RemovalShipment
from aftersales.models.return_reason_override import ReturnReasonOverride
from aftersales.models.returns import FbaReturn, SellerReturn
from aftersales.models.settlement import Refund, Reimbursement
from aftersales.models.store import Store

__all__ = [
    "Alert",
    "AlertDelivery",
    "AlertRule",
    "AlertRuleKind",
    "ApiToken",
    "ChannelKind",
    "Claim",
    "ClaimEvent",
    "ClaimStatus",
    "ClaimType",
    "DeliveryStatus",
    "DispositionSettings",
    "FbaReturn",
    "ImportBatch",
    "ImportJob",
    "ImportJobStatus",
    "ImportStatus",
    "InventorySnapshot",
    "Invitation",
    "LoginAttempt",
    "MarketplaceRow",
    "Membership",
    "NotificationChannel",
    "Order",
    "OrderItem",
    "Product",
    "ProductPrice",
    "Refund",
    "Reimbursement",
    "RemovalOrder",
    "RemovalShipment",
    "ReturnReasonOverride",
    "Role",
    "SellerFeedback",
    "SellerReturn",
    "ShipmentItem",
    "Store",
    "User",
]
