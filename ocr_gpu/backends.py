"""Image operations behind one small interface, on the CPU (cv2) or on CUDA (cv2.cuda).

Only the operations the preprocessing needs are here. ``select_backend`` uses CUDA only when
asked to and when OpenCV was built with CUDA and sees a device; the pip wheel has no CUDA, so
``cv2.cuda`` may be missing or report zero devices and we fall back to the CPU with a log line.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Protocol

import cv2
import numpy as np

logger = logging.getLogger(__name__)

# cv2.cuda exists only in CUDA builds of OpenCV; typed loosely so the CPU wheel type-checks.
cuda: Any = getattr(cv2, "cuda", None)
MORPH_OPS = {
    "erode": cv2.MORPH_ERODE,
    "dilate": cv2.MORPH_DILATE,
    "open": cv2.MORPH_OPEN,
    "close": cv2.MORPH_CLOSE,
}


class ImageBackend(Protocol):
    name: str
    fallback_reason: str | None

    def cvt_color(self, image: np.ndarray, code: int) -> np.ndarray: ...

    def gaussian_blur(self, image: np.ndarray, ksize: int, sigma: float) -> np.ndarray: ...

    def resize(self, image: np.ndarray, size: tuple[int, int], *, shrink: bool) -> np.ndarray: ...

    def warp_perspective(
        self, image: np.ndarray, matrix: np.ndarray, size: tuple[int, int]
    ) -> np.ndarray: ...

    def morphology(self, image: np.ndarray, op: str, ksize: int) -> np.ndarray: ...


@dataclass
class CpuBackend:
    name: str = "cpu"
    fallback_reason: str | None = None

    def cvt_color(self, image: np.ndarray, code: int) -> np.ndarray:
        return cv2.cvtColor(image, code)

    def gaussian_blur(self, image: np.ndarray, ksize: int, sigma: float) -> np.ndarray:
        return cv2.GaussianBlur(image, (ksize, ksize), sigma)

    def resize(self, image: np.ndarray, size: tuple[int, int], *, shrink: bool) -> np.ndarray:
        return cv2.resize(image, size, interpolation=cv2.INTER_AREA if shrink else cv2.INTER_CUBIC)

    def warp_perspective(
        self, image: np.ndarray, matrix: np.ndarray, size: tuple[int, int]
    ) -> np.ndarray:
        return cv2.warpPerspective(
            image, matrix, size, flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE
        )

    def morphology(self, image: np.ndarray, op: str, ksize: int) -> np.ndarray:
        kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (ksize, ksize))
        return cv2.morphologyEx(image, MORPH_OPS[op], kernel)


@dataclass
class CudaBackend:
    """cv2.cuda versions of the same operations; arrays go up and come back per call."""

    name: str = "cuda"
    fallback_reason: str | None = None

    @staticmethod
    def _upload(image: np.ndarray) -> Any:
        mat = cv2.cuda_GpuMat()  # type: ignore[attr-defined]
        mat.upload(image)
        return mat

    def cvt_color(self, image: np.ndarray, code: int) -> np.ndarray:
        return cuda.cvtColor(self._upload(image), code).download()

    def gaussian_blur(self, image: np.ndarray, ksize: int, sigma: float) -> np.ndarray:
        mat = self._upload(image)
        kind = cv2.CV_8UC1 if image.ndim == 2 else cv2.CV_8UC3
        if kind == cv2.CV_8UC3:  # CUDA filters take 1 or 4 channels
            mat = cuda.cvtColor(mat, cv2.COLOR_BGR2BGRA)
            kind = cv2.CV_8UC4
        blur = cuda.createGaussianFilter(kind, kind, (ksize, ksize), sigma)
        out = blur.apply(mat)
        if image.ndim == 3:
            out = cuda.cvtColor(out, cv2.COLOR_BGRA2BGR)
        return out.download()

    def resize(self, image: np.ndarray, size: tuple[int, int], *, shrink: bool) -> np.ndarray:
        interpolation = cv2.INTER_AREA if shrink else cv2.INTER_CUBIC
        return cuda.resize(self._upload(image), size, interpolation=interpolation).download()

    def warp_perspective(
        self, image: np.ndarray, matrix: np.ndarray, size: tuple[int, int]
    ) -> np.ndarray:
        return cuda.warpPerspective(
            self._upload(image),
            matrix,
            size,
            flags=cv2.INTER_LINEAR,
            borderMode=cv2.BORDER_REPLICATE,
        ).download()

    def morphology(self, image: np.ndarray, op: str, ksize: int) -> np.ndarray:
        if image.ndim != 2:
            raise ValueError("CUDA morphology here takes single-channel images")
        kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (ksize, ksize))
        filt = cuda.createMorphologyFilter(MORPH_OPS[op], cv2.CV_8UC1, kernel)
        return filt.apply(self._upload(image)).download()


def cuda_device_count() -> int:
    """CUDA devices OpenCV can use; 0 when OpenCV was built without CUDA."""
    try:
        return int(cv2.cuda.getCudaEnabledDeviceCount())
    except (AttributeError, cv2.error):
        return 0


def select_backend(gpu_enabled: bool) -> ImageBackend:
    """CUDA when enabled and available, otherwise the CPU with the reason recorded and logged."""
    if not gpu_enabled:
        return CpuBackend(fallback_reason=None)
    if cuda_device_count() > 0:
        return CudaBackend()
    reason = "OpenCV has no CUDA device here"
    logger.info("ocr backend=cpu gpu_enabled=true reason=%s", reason)
    return CpuBackend(fallback_reason=reason)
