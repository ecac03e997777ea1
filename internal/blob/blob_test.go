package blob

import (
	"bytes"
	"errors"
	"image"
	"image/png"
	"os"
	"strings"
	"syscall"
	"testing"

	"qijian/internal/errs"
)

func TestPutOnceAndReadConfined(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewGray(image.Rect(0, 0, 4, 4))); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	sum, err := Put(dir, b.Bytes())
	if err != nil || sum != Sum(b.Bytes()) {
		t.Fatal(sum, err)
	}
	if again, err := Put(dir, b.Bytes()); err != nil || again != sum {
		t.Fatal(again, err)
	}
	got, err := Read(dir, sum)
	if err != nil || !bytes.Equal(got, b.Bytes()) {
		t.Fatal(err)
	}
	// A path in the sum cannot leave dir: only its base name is read.
	if confined, err := Read(dir, "../../"+sum); err != nil || !bytes.Equal(confined, b.Bytes()) {
		t.Fatalf("read through a path: %v", err)
	}
	if _, err := Read(dir, "../../etc/passwd"); err == nil {
		t.Fatal("read a file outside dir")
	}
}

// TestPutRefusesToEatTheReserveAndLeavesNoTemp: an upload that would leave less than the reserve
// free is refused as unavailability (503), and nothing is left behind.
func TestPutRefusesToEatTheReserveAndLeavesNoTemp(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	free, err := FreeBytes(dir)
	if err != nil || free <= 0 {
		t.Fatalf("free bytes: %d %v", free, err)
	}
	_, err = PutWithin(dir, []byte("evidence"), free+1)
	if !errors.Is(err, ErrNoSpace) || !errors.Is(err, errs.Unavailable) {
		t.Fatalf("over the reserve: %v", err)
	}
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Fatalf("left behind: %v", left)
	}
}

// fullDiskFile writes half of what it is given to a real temporary file, then fails as a full
// disk does.
type fullDiskFile struct{ *os.File }

func (f fullDiskFile) Write(b []byte) (int, error) {
	n, _ := f.File.Write(b[:len(b)/2])
	return n, &os.PathError{Op: "write", Path: f.Name(), Err: syscall.ENOSPC}
}

// TestPutCleansUpOnFailure: a write that fails half-way (the disk filled up) leaves no temporary
// file behind, and answers unavailability with the real cause kept.
func TestPutCleansUpOnFailure(t *testing.T) {
	dir := t.TempDir()
	orig := createTemp
	createTemp = func(dir, pattern string) (tempFile, error) {
		f, err := os.CreateTemp(dir, pattern)
		return fullDiskFile{f}, err
	}
	t.Cleanup(func() { createTemp = orig })
	_, err := PutWithin(dir, bytes.Repeat([]byte("x"), 1<<20), 0)
	var e *errs.Error
	if !errors.As(err, &e) || e.Code != "storage_full" || !errors.Is(err, syscall.ENOSPC) {
		t.Fatalf("a full disk: %v", err)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".tmp") {
			t.Fatalf("temporary file left: %s", e.Name())
		}
	}
	if len(entries) != 0 {
		t.Fatalf("left behind: %v", entries)
	}
}

func TestFullDiskIsUnavailability(t *testing.T) {
	t.Parallel()
	err := storeErr("write", &os.PathError{Op: "write", Path: "x", Err: syscall.ENOSPC})
	var e *errs.Error
	if !errors.As(err, &e) || e.Kind != errs.Unavailable || e.Code != "storage_full" || !errors.Is(err, syscall.ENOSPC) {
		t.Fatalf("ENOSPC: %v", err)
	}
}
