"""Images and videos: what kind a file is, its technical metadata, and perceptual hashes to find re-uploads.

Metadata comes from maintained tools: Pillow (size, EXIF) and, when installed, Debian's ``exiftool`` for images;
``ffprobe`` (Debian's ffmpeg) for videos. Metadata is what the file *claims* (a camera clock, a GPS tag) and is stored
as such; the verification record says whether it held up.

Perceptual hashes (``imagehash``: DCT pHash and difference hash, 64 bits each) survive re-encoding, resizing and mild
edits that change every byte. A video gets one hash per key frame (``ffmpeg -skip_frame nokey``). Two items are near
duplicates when most frames of one have a frame in the other within ``max_distance`` bits.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import imagehash
from PIL import ExifTags, Image, UnidentifiedImageError

from tawthiq.errors import EvidenceError
from tawthiq.store.connection import Connection

MAX_KEY_FRAMES = 64
TOOL_TIMEOUT_S = 120
# exiftool's facts about our vault copy (its name, folder, permissions, file-system dates), not about the original.
OUR_COPY = frozenset({"SourceFile", "File:FileName", "File:Directory", "File:FileModifyDate", "File:FileAccessDate",
                      "File:FileInodeChangeDate", "File:FilePermissions"})
NEAR_DISTANCE = 10  # of 64 bits: re-encodes and resizes stay well under it; different scenes are near 32


@dataclass(frozen=True, slots=True)
class FrameHash:
    frame: int
    time_s: float | None
    phash: str
    dhash: str


@dataclass(slots=True)
class MediaInfo:
    kind: str  # image | video | file
    media_type: str
    width: int | None = None
    height: int | None = None
    duration_s: float | None = None
    created: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    device: str | None = None
    extractor: str = ""
    metadata: dict[str, object] = field(default_factory=dict)
    hashes: list[FrameHash] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class NearDuplicate:
    sha256: str
    distance: int  # smallest phash distance between any two frames
    matched: float  # share of the query's frames with a match in this item


def _run(args: list[str], path: Path) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(args, capture_output=True, timeout=TOOL_TIMEOUT_S, check=False)
    except subprocess.TimeoutExpired as e:
        raise EvidenceError(f"{path.name}: {args[0]} took longer than {TOOL_TIMEOUT_S} s") from e


def tool_available(name: str) -> bool:
    return shutil.which(name) is not None


def analyse(path: Path, media_type_hint: str = "") -> MediaInfo:
    """Metadata and perceptual hashes of an image or video; ``kind='file'`` for anything else."""
    try:
        with Image.open(path) as img:
            img.verify()
        return image_info(path)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        pass
    if tool_available("ffprobe"):
        probe = ffprobe(path)
        if probe is not None and _is_video(probe):
            return video_info(path, probe)
    return MediaInfo(kind="file", media_type=media_type_hint or "application/octet-stream")


# --- images ------------------------------------------------------------------------------------------------------

def image_info(path: Path) -> MediaInfo:
    with Image.open(path) as img:
        fmt = (img.format or "").lower()
        info = MediaInfo(kind="image", media_type=Image.MIME.get(img.format or "", f"image/{fmt}"),
                         width=img.width, height=img.height, extractor=f"Pillow {Image.__version__}")
        exif = img.getexif()
        tags = {ExifTags.TAGS.get(k, str(k)): _plain(v) for k, v in exif.items()}
        sub = exif.get_ifd(ExifTags.IFD.Exif)
        tags.update({ExifTags.TAGS.get(k, str(k)): _plain(v) for k, v in sub.items()})
        gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
        info.latitude, info.longitude = _gps(gps)
        info.created = _exif_time(str(tags.get("DateTimeOriginal") or tags.get("DateTime") or "")) or None
        make, model = str(tags.get("Make", "")).strip(), str(tags.get("Model", "")).strip()
        info.device = " ".join(p for p in (make, model) if p) or None
        info.metadata = {"exif": tags}
        info.hashes = [_frame_hash(0, None, img)]
    if tool_available("exiftool"):
        found = exiftool(path)
        info.metadata["exiftool"] = found
        info.extractor += f"; exiftool {found.get('ExifTool:ExifToolVersion', '')}".rstrip()
    return info


def _frame_hash(frame: int, time_s: float | None, img: Image.Image) -> FrameHash:
    rgb = img.convert("RGB")
    return FrameHash(frame, time_s, str(imagehash.phash(rgb)), str(imagehash.dhash(rgb)))


def _plain(value: object) -> object:
    if isinstance(value, bytes):
        return value.hex() if len(value) <= 64 else f"<{len(value)} bytes>"
    if isinstance(value, int | str | bool) or value is None:
        return value
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return str(value)


def _gps(gps: Any) -> tuple[float | None, float | None]:
    try:
        lat = _dms(gps[2], str(gps[1]))
        lon = _dms(gps[4], str(gps[3]))
    except (KeyError, TypeError, ValueError, ZeroDivisionError):
        return None, None
    return lat, lon


def _dms(value: Any, ref: str) -> float:
    d, m, s = (float(x) for x in value)
    sign = -1.0 if ref.strip().upper() in ("S", "W") else 1.0
    return sign * (d + m / 60 + s / 3600)


def _exif_time(text: str) -> str:
    """EXIF ``2025:03:07 14:05:00`` → ``2025-03-07T14:05:00`` (no zone: cameras rarely record one)."""
    text = text.strip().strip("\x00")
    if len(text) >= 19 and text[4] == ":" and text[7] == ":":
        return f"{text[:4]}-{text[5:7]}-{text[8:10]}T{text[11:19]}"
    return ""


def exiftool(path: Path) -> dict[str, object]:
    """Everything exiftool reads, by ``Group:Tag``, less the file-system facts of our own copy (its name, dates)."""
    run = _run(["exiftool", "-json", "-n", "-G", "--", str(path)], path)
    if run.returncode != 0:
        return {"error": run.stderr.decode("utf-8", "replace").strip()[:300]}
    try:
        data = json.loads(run.stdout)[0]
    except (ValueError, IndexError) as e:
        raise EvidenceError(f"{path.name}: exiftool returned no readable JSON") from e
    return {k: v for k, v in data.items() if k not in OUR_COPY}


# --- videos ------------------------------------------------------------------------------------------------------

def ffprobe(path: Path) -> dict[str, Any] | None:
    run = _run(["ffprobe", "-v", "error", "-print_format", "json", "-show_format", "-show_streams", str(path)], path)
    if run.returncode != 0:
        return None
    try:
        data = json.loads(run.stdout)
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    fmt = data.get("format")
    if isinstance(fmt, dict):
        fmt.pop("filename", None)  # our vault path, not a property of the file
    return data


def _is_video(probe: dict[str, Any]) -> bool:
    """A video stream in a container: ffprobe also calls a single (here: unreadable) JPEG or PNG a video stream."""
    name = str((probe.get("format") or {}).get("format_name", ""))
    if name == "image2" or name.endswith("_pipe"):
        return False
    return any(isinstance(s, dict) and s.get("codec_type") == "video" for s in probe.get("streams", []))


def video_info(path: Path, probe: dict[str, Any]) -> MediaInfo:
    streams = [s for s in probe.get("streams", []) if isinstance(s, dict)]
    video = next(s for s in streams if s.get("codec_type") == "video")
    fmt: dict[str, Any] = probe.get("format", {})
    tags: dict[str, str] = dict(fmt.get("tags", {}) or {})
    info = MediaInfo(kind="video", media_type=_video_type(str(fmt.get("format_name", ""))),
                     width=_int(video.get("width")), height=_int(video.get("height")),
                     duration_s=_float(fmt.get("duration")), created=tags.get("creation_time"),
                     extractor=f"ffprobe ({_ffmpeg_version()})", metadata={"ffprobe": probe})
    info.latitude, info.longitude = _iso6709(tags.get("location") or tags.get("com.apple.quicktime.location.ISO6709"))
    info.device = tags.get("com.apple.quicktime.model") or tags.get("encoder")
    try:
        info.hashes = key_frame_hashes(path)
    except EvidenceError as e:  # a damaged stream: keep the metadata, say why there are no hashes
        info.metadata["key_frames_error"] = e.message
    return info


def key_frame_hashes(path: Path, limit: int = MAX_KEY_FRAMES) -> list[FrameHash]:
    """Perceptual hashes of a video's key frames (at most ``limit``), with their times."""
    times = _key_frame_times(path)[:limit]
    with tempfile.TemporaryDirectory(prefix="tawthiq-frames-") as tmp:
        run = _run(["ffmpeg", "-v", "error", "-nostdin", "-skip_frame", "nokey", "-i", str(path), "-map", "0:v:0",
                    "-fps_mode", "passthrough", "-frames:v", str(limit), f"{tmp}/%06d.png"], path)
        if run.returncode != 0:
            raise EvidenceError(f"{path.name}: ffmpeg could not read its key frames "
                                f"({run.stderr.decode('utf-8', 'replace').strip()[:200]})")
        hashes = []
        for i, frame in enumerate(sorted(Path(tmp).glob("*.png"))):
            with Image.open(frame) as img:
                hashes.append(_frame_hash(i, times[i] if i < len(times) else None, img))
    return hashes


def _key_frame_times(path: Path) -> list[float]:
    run = _run(["ffprobe", "-v", "error", "-select_streams", "v:0", "-skip_frame", "nokey", "-show_entries",
                "frame=pts_time", "-of", "csv=p=0", str(path)], path)
    times = []
    for line in run.stdout.decode("ascii", "replace").split():
        value = _float(line.strip().strip(","))
        if value is not None:
            times.append(value)
    return times


def _ffmpeg_version() -> str:
    run = subprocess.run(["ffprobe", "-version"], capture_output=True, timeout=30, check=False)
    first = run.stdout.decode("utf-8", "replace").splitlines()[:1]
    return first[0].split(" Copyright")[0] if first else "ffprobe"


def _video_type(format_name: str) -> str:
    names = format_name.split(",")
    for name, mime in (("mp4", "video/mp4"), ("mov", "video/quicktime"), ("webm", "video/webm"),
                       ("matroska", "video/x-matroska"), ("avi", "video/x-msvideo")):
        if name in names:
            return mime
    return "video/" + (names[0] or "unknown")


def _iso6709(text: str | None) -> tuple[float | None, float | None]:
    """``+35.1234+035.9876/`` → (35.1234, 35.9876)."""
    if not text:
        return None, None
    match = re.match(r"^([+-]\d+(?:\.\d+)?)([+-]\d+(?:\.\d+)?)", text)
    return (float(match.group(1)), float(match.group(2))) if match else (None, None)


def _int(value: object) -> int | None:
    try:
        return int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return None


def _float(value: object) -> float | None:
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


# --- the store ---------------------------------------------------------------------------------------------------

def save(conn: Connection, sha256: str, info: MediaInfo) -> None:
    """Record an item's metadata and hashes (caller's transaction); replaces what an earlier analysis wrote."""
    conn.execute("DELETE FROM media_hashes WHERE item_sha256 = ?", (sha256,))
    conn.execute(
        "DELETE FROM media_metadata WHERE item_sha256 = ?", (sha256,))
    conn.execute(
        "INSERT INTO media_metadata (item_sha256, width, height, duration_s, created, latitude, longitude, "
        "device, extractor, metadata) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (sha256, info.width, info.height, info.duration_s, info.created, info.latitude, info.longitude, info.device,
         info.extractor, json.dumps(info.metadata, sort_keys=True, ensure_ascii=False, default=str)),
    )
    conn.executemany(
        "INSERT INTO media_hashes (item_sha256, frame, time_s, phash, dhash) VALUES (?, ?, ?, ?, ?)",
        [(sha256, h.frame, h.time_s, h.phash, h.dhash) for h in info.hashes],
    )


def distance(a: str, b: str) -> int:
    """Hamming distance between two hex hashes of the same length."""
    return (int(a, 16) ^ int(b, 16)).bit_count()


def near_duplicates(conn: Connection, sha256: str, max_distance: int = NEAR_DISTANCE,
                    min_matched: float = 0.5) -> list[NearDuplicate]:
    """Other items whose frames match at least ``min_matched`` of this item's frames, closest first."""
    mine = [r[0] for r in conn.execute("SELECT phash FROM media_hashes WHERE item_sha256 = ?", (sha256,))]
    if not mine:
        return []
    others: dict[str, list[str]] = {}
    for other, phash in conn.execute("SELECT item_sha256, phash FROM media_hashes WHERE item_sha256 != ?", (sha256,)):
        others.setdefault(other, []).append(phash)
    found = []
    for other, theirs in others.items():
        best = [min(distance(p, q) for q in theirs) for p in mine]
        matched = sum(d <= max_distance for d in best) / len(mine)
        if matched >= min_matched:
            found.append(NearDuplicate(other, min(best), round(matched, 3)))
    return sorted(found, key=lambda n: (n.distance, -n.matched, n.sha256))


def image_bytes_info(data: bytes) -> tuple[int, int] | None:
    """Width and height when ``data`` is an image Pillow reads, else None (a cheap sniff before writing to disk)."""
    try:
        with Image.open(io.BytesIO(data)) as img:
            return img.width, img.height
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return None
