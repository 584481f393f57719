"""Every table of the platform, gathered so migrations and tests see one metadata."""

from __future__ import annotations

from nichely.accounts import models as accounts
from nichely.activity import models as activity
from nichely.catalog import models as catalog
from nichely.commerce import models as commerce
from nichely.community import models as community
from nichely.live import models as live
from nichely.storage.base import Base
from nichely.trust import models as trust

metadata = Base.metadata

__all__ = ["accounts", "activity", "catalog", "commerce", "community", "live", "metadata", "trust"]
