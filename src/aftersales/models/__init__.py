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
from aftersales.models.disposition_decision import DispositionDecision
from aftersales.models.disposition_settings import DispositionSettings
from aftersales.models.feedback import SellerFeedback
from aftersales.models.import_job import ImportJob, ImportJobStatus
from aftersales.models.imports import ImportBatch, ImportStatus
from aftersales.models.inbound_plan import (
    InboundPlan,
    InboundPlanEvent,
    InboundPlanItem,
    Owner,
    PlanStatus,
    ShipFromAddress,
    ShippingMode,
)
from aftersales.models.inventory import (
    InboundLevel,
    InventorySnapshot,
    LatestInventory,
    StockoutSpan,
)
from aftersales.models.marketplace import MarketplaceRow
from aftersales.models.orders import Order, OrderItem, ShipmentItem
from aftersales.models.removals import RemovalOrder, RemovalShipment
from aftersales.models.replenishment import (
    DailySales,
    FirstSale,
    LocalStock,
    PurchaseOrderLine,
    PurchaseOrderStatus,
    ReplenishmentResult,
    ReplenishmentRun,
    ReplenishmentSettings,
    ReplenishmentSkuSettings,
    WarehouseKind,
)
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
    "DailySales",
    "DeliveryStatus",
    "DispositionDecision",
    "DispositionSettings",
    "FbaReturn",
    "FirstSale",
    "ImportBatch",
    "ImportJob",
    "ImportJobStatus",
    "ImportStatus",
    "InboundLevel",
    "InboundPlan",
    "InboundPlanEvent",
    "InboundPlanItem",
    "InventorySnapshot",
    "Invitation",
    "LatestInventory",
    "LocalStock",
    "LoginAttempt",
    "MarketplaceRow",
    "Membership",
    "NotificationChannel",
    "Order",
    "OrderItem",
    "Owner",
    "PlanStatus",
    "Product",
    "ProductPrice",
    "PurchaseOrderLine",
    "PurchaseOrderStatus",
    "Refund",
    "Reimbursement",
    "RemovalOrder",
    "RemovalShipment",
    "ReplenishmentResult",
    "ReplenishmentRun",
    "ReplenishmentSettings",
    "ReplenishmentSkuSettings",
    "ReturnReasonOverride",
    "Role",
    "SellerFeedback",
    "SellerReturn",
    "ShipFromAddress",
    "ShipmentItem",
    "ShippingMode",
    "StockoutSpan",
    "Store",
    "User",
    "WarehouseKind",
]
