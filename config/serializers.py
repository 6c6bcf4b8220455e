"""Serializers that do not deep-copy their fields for every request.

DRF deep-copies a serializer's declared fields each time one is made, which
costs more than the rest of validating a registration or a marshal's tap.
Here each class keeps deep copies made once per language (a field's
validators keep the first text they rendered, so one language's copies must
not serve another), and every serializer gets shallow copies of those:
binding only sets attributes on the copy. Fields named in ``deep_copied``
(nested serializers, which hold state of their own) are still copied deeply.
"""

import copy

from django.utils.translation import get_language
from rest_framework.utils.serializer_helpers import BindingDict


class PrototypeFields:
    deep_copied: tuple[str, ...] = ()

    def get_fields(self):
        cls = type(self)
        prototypes = cls.__dict__.get("_field_prototypes")
        if prototypes is None:
            prototypes = {}
            cls._field_prototypes = prototypes
        language = get_language()
        fields = prototypes.get(language)
        if fields is None:
            fields = prototypes[language] = copy.deepcopy(self._declared_fields)
            for field in fields.values():
                # A validator's message is formatted on first use, and DRF's
                # formatting is not safe for two threads at once: do it now.
                for validator in getattr(field, "validators", ()):
                    str(getattr(validator, "message", ""))
        return {
            name: copy.deepcopy(field) if name in self.deep_copied else copy.copy(field)
            for name, field in fields.items()
        }


class SharedFields(PrototypeFields):
    """For a serializer of plain fields (no nested serializers, no field that
    reads the context) made for every request: its fields are bound once per
    language and shared by every instance, which then only validates.
    Validating reads a field's settings and changes nothing in it."""

    @property
    def fields(self):
        cls = type(self)
        shared = cls.__dict__.get("_shared_fields")
        if shared is None:
            shared = {}
            cls._shared_fields = shared
        language = get_language()
        fields = shared.get(language)
        if fields is None:
            # Bound to an empty instance of their own, not to this request's
            # (whose data would otherwise stay in memory).
            fields = BindingDict(type(self)(context={}))
            for name, field in self.get_fields().items():
                fields[name] = field
            shared[language] = fields
        return fields
