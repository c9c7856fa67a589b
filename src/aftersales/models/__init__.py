"""ORM models, one file per aggregate; importing this package registers every table."""

from aftersales.models.catalog import Product, ProductPrice
from aftersales.models.feedback import SellerFeedback
from aftersales.models.imports import ImportBatch, ImportStatus
from aftersales.models.inventory import InventorySnapshot
from aftersales.models.marketplace import MarketplaceRow
from aftersales.models.orders import Order, OrderItem, ShipmentItem
from aftersales.models.removals import RemovalOrder, RemovalShipment
from aftersales.models.returns import FbaReturn, SellerReturn
from aftersales.models.settlement import Refund, Reimbursement
from aftersales.models.store import Store

__all__ = [
    "FbaReturn",
    "ImportBatch",
    "ImportStatus",
    "InventorySnapshot",
    "MarketplaceRow",
    "Order",
    "OrderItem",
    "Product",
    "ProductPrice",
    "Refund",
    "Reimbursement",
    "RemovalOrder",
    "RemovalShipment",
    "SellerFeedback",
    "SellerReturn",
    "ShipmentItem",
    "Store",
]
