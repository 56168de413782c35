"""Documents on S3-compatible storage (R2 in production), against moto's S3 server on loopback."""

from __future__ import annotations

import io
from collections.abc import Iterator

import boto3
import pytest
import requests
from moto.server import ThreadedMotoServer

from documents.models import Document
from filot.testing.services import s3_storage

BUCKET = "filot-test-documents"


@pytest.fixture(scope="module")
def s3_server() -> Iterator[str]:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


def s3_storage_settings(endpoint: str) -> dict:
    """Production options with short timeouts and no retry, so refusals are quick."""
    return s3_storage(endpoint, BUCKET, connect_timeout=1, read_timeout=2, max_attempts=1)


@pytest.fixture
def bucket(s3_server, settings):
    client = boto3.client(
        "s3",
        endpoint_url=s3_server,
        aws_access_key_id="testing",
        aws_secret_access_key="testing-secret",
        region_name="us-east-1",
    )
    client.create_bucket(Bucket=BUCKET)
    settings.STORAGES = {**settings.STORAGES, "default": s3_storage_settings(s3_server)}
    yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


def upload(client, data: bytes):
    return client.post(
        "/api/v1/documents/", {"file": io.BytesIO(data), "doc_type": "KTP"}, format="multipart"
    )


@pytest.mark.django_db
def test_upload_writes_the_object_under_its_key(auth_client, bucket, jpeg_bytes):
    response = upload(auth_client, jpeg_bytes)

    assert response.status_code == 202
    document = Document.objects.get(pk=response.json()["id"])
    keys = [o["Key"] for o in bucket.list_objects_v2(Bucket=BUCKET)["Contents"]]
    assert keys == [f"documents/{auth_client.user.pk}/{document.pk}.jpg"]
    stored = bucket.head_object(Bucket=BUCKET, Key=keys[0])
    assert stored["ServerSideEncryption"] == "AES256"  # requested on every write
    assert stored["CacheControl"] == "private, no-store"


@pytest.mark.django_db
def test_download_redirects_to_a_short_lived_presigned_url(auth_client, bucket, jpeg_bytes):
    document_id = upload(auth_client, jpeg_bytes).json()["id"]

    response = auth_client.get(f"/api/v1/documents/{document_id}/file/")

    assert response.status_code == 302
    url = response["Location"]
    assert "X-Amz-Expires=300" in url and "X-Amz-Signature=" in url
    fetched = requests.get(url, timeout=5)
    assert fetched.status_code == 200
    stored = bucket.get_object(Bucket=BUCKET, Key=Document.objects.get(pk=document_id).storage_key)
    assert fetched.content == stored["Body"].read()


@pytest.mark.django_db
def test_unreachable_storage_is_503_and_leaves_no_row(auth_client, settings, jpeg_bytes):
    settings.STORAGES = {**settings.STORAGES, "default": s3_storage_settings("http://127.0.0.1:1")}

    response = upload(auth_client, jpeg_bytes)

    assert response.status_code == 503
    assert response.json()["error"]["code"] == "storage_unavailable"
    assert not Document.objects.exists()


@pytest.mark.django_db
def test_health_reports_unreachable_storage(client, settings):
    settings.STORAGES = {**settings.STORAGES, "default": s3_storage_settings("http://127.0.0.1:1")}

    response = client.get("/health")

    assert response.status_code == 503
    assert response.json()["checks"]["storage"]["ok"] is False


@pytest.mark.django_db
def test_erasure_deletes_the_object(
    auth_client, bucket, jpeg_bytes, django_capture_on_commit_callbacks
):
    document_id = upload(auth_client, jpeg_bytes).json()["id"]

    with django_capture_on_commit_callbacks(execute=True):
        assert auth_client.delete(f"/api/v1/documents/{document_id}/").status_code == 204

    assert bucket.list_objects_v2(Bucket=BUCKET).get("KeyCount") == 0
