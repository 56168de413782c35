"""PP-OCR on ONNX Runtime's CUDA provider reads what it reads on the CPU (GPU hosts only)."""

from __future__ import annotations

import pytest

from ocr_gpu.pipeline import run_ocr
from ocr_gpu.testing.cards import make_card

onnxruntime = pytest.importorskip("onnxruntime", reason="ONNX Runtime is not installed here")
CUDA = "CUDAExecutionProvider" in onnxruntime.get_available_providers()

pytestmark = pytest.mark.skipif(
    not CUDA, reason="ONNX Runtime has no CUDA provider here (onnxruntime-gpu on a GPU host)"
)


@pytest.mark.parametrize(("doc_type", "level"), [("ktp", "clean"), ("npwp", "mild")])
def test_cuda_and_cpu_providers_read_the_same_text(doc_type, level):
    data, _ = make_card(doc_type, level, 31)

    cpu = run_ocr(data, gpu_enabled=False, second_opinion=False)
    gpu = run_ocr(data, gpu_enabled=True, second_opinion=False)

    assert gpu.provider == "cuda" and cpu.provider == "cpu"
    assert [line.text for line in gpu.lines] == [line.text for line in cpu.lines]
