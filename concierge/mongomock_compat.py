"""Let mongomock's bulk_write take the operations of the pymongo in use.

pymongo 4.11+ passes `sort=` to a bulk builder's add_update/add_replace;
mongomock 4.3 predates it and fails every bulk_write. A sort on a single-document
update is never used here, so the argument is accepted and refused when set.
"""

from __future__ import annotations

import functools
import inspect

from mongomock.collection import BulkOperationBuilder


def _accept_sort(method):
    @functools.wraps(method)
    def add(self, *args, sort=None, **kwargs):
        if sort is not None:
            raise NotImplementedError("mongomock cannot sort a bulk update")
        return method(self, *args, **kwargs)
    return add


for _name in ("add_update", "add_replace"):
    _method = getattr(BulkOperationBuilder, _name)
    if "sort" not in inspect.signature(_method).parameters:
        setattr(BulkOperationBuilder, _name, _accept_sort(_method))
