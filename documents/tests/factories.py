"""Test data for documents (factory_boy)."""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

import factory
from factory.django import DjangoModelFactory

from documents.models import Document
from documents.status import DocumentStatus
from documents.storage import document_key, put_file
from filot.tests.factories import UserFactory


class DocumentFactory(DjangoModelFactory[Document]):
    """A document row. With ``image`` (bytes) its file is stored too, and size and hash describe
    it; without, no file exists and the hash is random."""

    class Meta:
        model = Document

    class Params:
        size = (1012, 638)

    id = factory.LazyFunction(uuid.uuid4)
    owner = factory.SubFactory(UserFactory)
    doc_type = "KTP"
    image: bytes | None = None
    storage_key = factory.LazyAttribute(
        lambda o: document_key(owner_id=o.owner.pk, document_id=o.id, extension="jpg")
    )
    content_type = "image/jpeg"
    size_bytes = factory.LazyAttribute(lambda o: len(o.image) if o.image is not None else 1000)
    sha256 = factory.LazyAttribute(
        lambda o: (
            hashlib.sha256(o.image).hexdigest() if o.image is not None else uuid.uuid4().hex * 2
        )
    )
    image_width = factory.LazyAttribute(lambda o: o.size[0])
    image_height = factory.LazyAttribute(lambda o: o.size[1])
    status = DocumentStatus.QUEUED

    @classmethod
    def _create(
        cls, model_class: type[Document], *args: Any, image: bytes | None = None, **kwargs: Any
    ) -> Document:
        if image is not None:
            put_file(kwargs["storage_key"], image)
        return super()._create(model_class, *args, **kwargs)

    @classmethod
    def _build(
        cls, model_class: type[Document], *args: Any, image: bytes | None = None, **kwargs: Any
    ) -> Document:
        return super()._build(model_class, *args, **kwargs)
