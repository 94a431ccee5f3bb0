"""Media: metadata from Pillow/exiftool/ffprobe, perceptual hashes that find re-uploads and not other scenes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tawthiq.evidence import media
from tawthiq.evidence.vault import store_original
from tawthiq.store import Store
from tests.evidence.conftest import custody
from tests.fixtures.media import make

needs_ffmpeg = pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="Debian ffmpeg: scripts/system-deps.sh")


def add(store: Store, vault: Path, path: Path) -> str:
    with store.transaction() as conn:
        stored = store_original(conn, vault, path.read_bytes(), custody(), original_name=path.name)
    info = media.analyse(stored.path)
    with store.transaction() as conn:
        media.save(conn, stored.sha256, info)
    return stored.sha256


def test_jpeg_metadata_camera_time_and_gps(tmp_path: Path) -> None:
    info = media.analyse(make.jpeg_with_exif(tmp_path / "a.jpg"))
    assert (info.kind, info.media_type, info.width, info.height) == ("image", "image/jpeg", 320, 240)
    assert info.device == "TestMake TestCam 1" and info.created == "2025-03-07T14:05:00"
    assert info.latitude == pytest.approx(make.GPS_LAT, abs=1e-4)
    assert info.longitude == pytest.approx(make.GPS_LON, abs=1e-4)
    assert len(info.hashes) == 1 and len(info.hashes[0].phash) == 16


@pytest.mark.skipif(shutil.which("exiftool") is None, reason="Debian exiftool: scripts/system-deps.sh")
def test_exiftool_reads_the_same_tags_without_our_file_system_details(tmp_path: Path) -> None:
    info = media.analyse(make.jpeg_with_exif(tmp_path / "a.jpg"))
    found = info.metadata["exiftool"]
    assert isinstance(found, dict)
    assert found["EXIF:Model"] == "TestCam 1"
    assert found["EXIF:GPSLatitude"] == pytest.approx(make.GPS_LAT, abs=1e-4)
    assert found["File:MIMEType"] == "image/jpeg"
    assert not {"SourceFile", "File:FileName", "File:Directory", "File:FileModifyDate"} & set(found)
    assert "exiftool" in info.extractor


def test_a_resized_recompressed_copy_is_a_near_duplicate_and_another_scene_is_not(
        estore: Store, vault: Path, tmp_path: Path) -> None:
    original = make.jpeg_with_exif(tmp_path / "original.jpg")
    reupload = tmp_path / "reupload.png"
    make.scene().resize((200, 150)).save(reupload)
    cropped_text = tmp_path / "other.jpg"
    make.other_scene().save(cropped_text, quality=60)
    a, b, c = (add(estore, vault, p) for p in (original, reupload, cropped_text))
    found = media.near_duplicates(estore.conn, a)
    assert [d.sha256 for d in found] == [b]
    assert found[0].distance <= media.NEAR_DISTANCE
    assert media.near_duplicates(estore.conn, c) == []


def test_hamming_distance() -> None:
    assert media.distance("ff00", "0f00") == 4
    assert media.distance("0" * 16, "f" * 16) == 64


def test_a_file_that_is_no_media_is_kind_file(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_text("name,age\nA,3\n", encoding="utf-8")
    info = media.analyse(path, "text/csv")
    assert (info.kind, info.media_type, info.hashes) == ("file", "text/csv", [])


def test_a_truncated_image_is_not_a_crash(tmp_path: Path) -> None:
    full = make.jpeg_with_exif(tmp_path / "a.jpg").read_bytes()
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(full[:200])
    assert media.analyse(broken).kind in ("file", "image")


@needs_ffmpeg
def test_video_metadata_and_key_frames(tmp_path: Path) -> None:
    info = media.analyse(make.video(tmp_path / "v.mp4", seconds=3, gop=10))
    assert (info.kind, info.media_type, info.width, info.height) == ("video", "video/mp4", 320, 240)
    assert info.duration_s == pytest.approx(3.0, abs=0.2)
    assert info.created is not None and info.created.startswith("2025-03-08T10:00:00")
    assert len(info.hashes) == 3  # a key frame every second
    assert [h.time_s for h in info.hashes] == pytest.approx([0.0, 1.0, 2.0], abs=0.05)
    assert "ffprobe" in info.extractor


@needs_ffmpeg
def test_a_reencoded_video_is_found_and_a_different_one_is_not(estore: Store, vault: Path, tmp_path: Path) -> None:
    first = make.video(tmp_path / "first.mp4")
    copy = make.re_encode(first, tmp_path / "copy.mp4")
    other = make.video(tmp_path / "other.mp4", source="mandelbrot=size=320x240:rate=10")
    a, b, _ = (add(estore, vault, p) for p in (first, copy, other))
    found = media.near_duplicates(estore.conn, a)
    assert [d.sha256 for d in found] == [b] and found[0].matched == 1.0
