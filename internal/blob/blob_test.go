package blob

import (
	"bytes"
	"errors"
	"image"
	"image/png"
	"testing"
)

func TestSniffByContentAndPutOnce(t *testing.T) {
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewGray(image.Rect(0, 0, 4, 4))); err != nil {
		t.Fatal(err)
	}
	if ct, img, err := Sniff(b.Bytes(), 100); err != nil || ct != "image/png" || img == nil {
		t.Fatalf("png: %q %v %v", ct, img, err)
	}
	if _, _, err := Sniff(b.Bytes(), 15); !errors.Is(err, ErrType) {
		t.Fatalf("a 16-pixel image over a 15-pixel limit: %v", err)
	}
	if ct, img, err := Sniff([]byte("%PDF-1.7\n..."), 100); err != nil || ct != "application/pdf" || img != nil {
		t.Fatalf("pdf: %q %v", ct, err)
	}
	for _, bad := range [][]byte{[]byte("<html><script>alert(1)</script>"), []byte("#!/bin/sh\n"), {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0}} {
		if _, _, err := Sniff(bad, 100); !errors.Is(err, ErrType) {
			t.Fatalf("%q accepted: %v", bad, err)
		}
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
