"""Image operations behind one small interface, on the CPU (cv2) or on CUDA (cv2.cuda).

Only the operations the preprocessing needs are here, on handles that stay on their device.
``select_backend`` uses CUDA only when asked to and when OpenCV was built with CUDA and sees a
device; the pip wheel has no CUDA, so ``cv2.cuda`` may be missing or report zero devices and we
fall back to the CPU with a log line.
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
    """Image operations on a backend's own image handles.

    ``upload`` turns a numpy image into a handle (the CPU's handle is the array itself, CUDA's
    a ``GpuMat`` on the device) and ``download`` turns it back. Every operation takes and
    returns handles, so a chain of operations keeps the image where it is: on CUDA the photo
    goes up once, is shrunk and warped on the device, and only the small copy and the
    finished card come back.
    """

    name: str
    fallback_reason: str | None

    def upload(self, image: np.ndarray) -> Any: ...

    def download(self, handle: Any) -> np.ndarray: ...

    def cvt_color(self, image: Any, code: int) -> Any: ...

    def gaussian_blur(self, image: Any, ksize: int, sigma: float) -> Any: ...

    def resize(self, image: Any, size: tuple[int, int], *, shrink: bool) -> Any: ...

    def warp_perspective(self, image: Any, matrix: np.ndarray, size: tuple[int, int]) -> Any: ...

    def morphology(self, image: Any, op: str, ksize: int) -> Any: ...


@dataclass
class CpuBackend:
    name: str = "cpu"
    fallback_reason: str | None = None

    def upload(self, image: np.ndarray) -> np.ndarray:
        return image

    def download(self, handle: np.ndarray) -> np.ndarray:
        return handle

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
    """cv2.cuda versions of the same operations on ``GpuMat`` handles (numpy arrays given to an
    operation are uploaded first, so a caller may mix; results stay on the device)."""

    name: str = "cuda"
    fallback_reason: str | None = None

    def upload(self, image: np.ndarray | Any) -> Any:
        if not isinstance(image, np.ndarray):
            return image
        mat = cv2.cuda_GpuMat()  # type: ignore[attr-defined]
        mat.upload(np.ascontiguousarray(image))
        return mat

    def download(self, handle: Any) -> np.ndarray:
        if isinstance(handle, np.ndarray):
            return handle
        return np.asarray(handle.download())

    def cvt_color(self, image: Any, code: int) -> Any:
        return cuda.cvtColor(self.upload(image), code)

    def gaussian_blur(self, image: Any, ksize: int, sigma: float) -> Any:
        mat = self.upload(image)
        channels = mat.channels()
        if channels == 3:  # CUDA filters take 1 or 4 channels
            mat = cuda.cvtColor(mat, cv2.COLOR_BGR2BGRA)
        kind = cv2.CV_8UC1 if channels == 1 else cv2.CV_8UC4
        out = cuda.createGaussianFilter(kind, kind, (ksize, ksize), sigma).apply(mat)
        return cuda.cvtColor(out, cv2.COLOR_BGRA2BGR) if channels == 3 else out

    def resize(self, image: Any, size: tuple[int, int], *, shrink: bool) -> Any:
        interpolation = cv2.INTER_AREA if shrink else cv2.INTER_CUBIC
        return cuda.resize(self.upload(image), size, interpolation=interpolation)

    def warp_perspective(self, image: Any, matrix: np.ndarray, size: tuple[int, int]) -> Any:
        return cuda.warpPerspective(
            self.upload(image),
            matrix,
            size,
            flags=cv2.INTER_LINEAR,
            borderMode=cv2.BORDER_REPLICATE,
        )

    def morphology(self, image: Any, op: str, ksize: int) -> Any:
        mat = self.upload(image)
        if mat.channels() != 1:
            raise ValueError("CUDA morphology here takes single-channel images")
        kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (ksize, ksize))
        return cuda.createMorphologyFilter(MORPH_OPS[op], cv2.CV_8UC1, kernel).apply(mat)


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
