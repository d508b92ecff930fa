"""Image regression: compare a rendered PNG with a stored reference, with a tolerance.

Both images are blurred slightly (so anti-aliasing and sub-pixel text shifts do not count),
then compared by the mean absolute difference per channel and by the share of pixels that
differ by more than a threshold. On failure a diff image (reference | actual | amplified
difference) is written for a person to look at.

Used by tests; the reference image of the default scenario is stored under ``tests/``.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageFilter

#: Defaults: tolerant of anti-aliasing, strict enough to catch a changed colour or layer.
MAX_MEAN_ABS = 1.5
MAX_DIFFERING_FRACTION = 0.005
PIXEL_THRESHOLD = 40
BLUR_RADIUS = 1.5


@dataclass(frozen=True)
class ImageDiff:
    """Result of comparing two images.

    Parameters
    ----------
    ok
        Whether the images match within the tolerances.
    mean_abs
        Mean absolute difference per channel after blurring (0–255).
    differing_fraction
        Share of pixels whose largest channel difference exceeds the pixel threshold.
    actual_size, expected_size
        Image sizes ``(width, height)`` in pixels.
    diff_path
        Where the diff image was written (only on failure and when a folder was given).
    """

    ok: bool
    mean_abs: float
    differing_fraction: float
    actual_size: tuple[int, int]
    expected_size: tuple[int, int]
    diff_path: Path | None = None

    def message(self) -> str:
        """Return a one-line summary naming the numbers and the diff image."""
        if self.actual_size != self.expected_size:
            return (
                f"image size {self.actual_size} differs from the reference's {self.expected_size}"
            )
        where = f"; diff image: {self.diff_path}" if self.diff_path else ""
        return (
            f"mean absolute difference {self.mean_abs:.2f} (max {MAX_MEAN_ABS}), "
            f"differing pixels {self.differing_fraction:.3%}{where}"
        )


def compare_images(
    actual: bytes | Path,
    expected: bytes | Path,
    *,
    max_mean_abs: float = MAX_MEAN_ABS,
    max_differing_fraction: float = MAX_DIFFERING_FRACTION,
    pixel_threshold: int = PIXEL_THRESHOLD,
    blur_radius: float = BLUR_RADIUS,
    diff_dir: Path | None = None,
    name: str = "image",
) -> ImageDiff:
    """Compare two PNG images with a tolerance.

    Parameters
    ----------
    actual, expected
        PNG bytes or file paths; ``expected`` is the stored reference.
    max_mean_abs
        Largest mean absolute difference per channel (0–255) still accepted.
    max_differing_fraction
        Largest share of pixels allowed to differ by more than ``pixel_threshold``.
    pixel_threshold
        Channel difference (0–255) above which a pixel counts as differing.
    blur_radius
        Gaussian blur radius in pixels applied to both images first.
    diff_dir
        Folder for the diff image on failure (e.g. ``test-output``); ``None`` writes nothing.
    name
        Stem of the diff image's file name.

    Returns
    -------
    ImageDiff
        The measured differences and whether they are within the tolerances.
    """
    a, b = _load(actual), _load(expected)
    if a.size != b.size:
        return ImageDiff(False, float("inf"), 1.0, a.size, b.size)
    pa = np.asarray(a.filter(ImageFilter.GaussianBlur(blur_radius)), dtype=np.int16)
    pb = np.asarray(b.filter(ImageFilter.GaussianBlur(blur_radius)), dtype=np.int16)
    delta = np.abs(pa - pb)
    mean_abs = float(delta.mean())
    differing = float((delta.max(axis=2) > pixel_threshold).mean())
    ok = mean_abs <= max_mean_abs and differing <= max_differing_fraction
    diff_path = None
    if not ok and diff_dir is not None:
        diff_path = _write_diff(a, b, delta, Path(diff_dir) / f"{name}-diff.png")
    return ImageDiff(ok, mean_abs, differing, a.size, b.size, diff_path)


def _load(source: bytes | Path) -> Image.Image:
    data = source if isinstance(source, bytes) else Path(source).read_bytes()
    with Image.open(io.BytesIO(data)) as image:
        return image.convert("RGB")


def _write_diff(actual: Image.Image, expected: Image.Image, delta: np.ndarray, path: Path) -> Path:
    """Write reference | actual | amplified difference side by side; return the path."""
    heat = np.clip(delta.max(axis=2) * 4, 0, 255).astype(np.uint8)
    diff = Image.fromarray(np.stack([heat, np.zeros_like(heat), np.zeros_like(heat)], axis=2))
    width, height = actual.size
    sheet = Image.new("RGB", (width * 3, height), "white")
    for i, image in enumerate((expected, actual, diff)):
        sheet.paste(image, (i * width, 0))
    scale = min(1.0, 3000 / sheet.width)
    if scale < 1.0:
        sheet = sheet.resize((int(sheet.width * scale), int(sheet.height * scale)))
    path.parent.mkdir(parents=True, exist_ok=True)
    sheet.save(path)
    return path
