// Package blob checks uploaded files by their content and keeps them on disk named by their
// SHA-256, for complaint evidence and inspection case files alike.
package blob

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	_ "image/jpeg" // decoders for Sniff
	_ "image/png"
	"net/http"
	"os"
	"path/filepath"
)

// ErrType is a file that is not a PDF, JPEG or PNG by its bytes, or an image that does not
// decode or is too large.
var ErrType = errors.New("blob: only PDF, JPEG or PNG")

// Sniff accepts PDF, JPEG and PNG by their bytes, never by a name. An image must decode within
// maxPixels; it is returned decoded, for callers that re-encode it.
func Sniff(data []byte, maxPixels int) (ctype string, img image.Image, err error) {
	ctype = http.DetectContentType(data)
	switch ctype {
	case "application/pdf":
		return ctype, nil, nil
	case "image/jpeg", "image/png":
		cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
		if err != nil || cfg.Width*cfg.Height > maxPixels {
			return "", nil, ErrType
		}
		img, _, err := image.Decode(bytes.NewReader(data))
		if err != nil {
			return "", nil, ErrType
		}
		return ctype, img, nil
	}
	return "", nil, ErrType
}

// Sum is the hex SHA-256 a file is stored under.
func Sum(data []byte) string {
	s := sha256.Sum256(data)
	return hex.EncodeToString(s[:])
}

// Put stores data in dir under its sum (written to a temporary name, then renamed, so a reader
// never sees half a file) and returns the sum. The same content is stored once.
func Put(dir string, data []byte) (string, error) {
	sum := Sum(data)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return "", fmt.Errorf("blob: dir: %w", err)
	}
	path := filepath.Join(dir, sum)
	if _, err := os.Stat(path); err == nil {
		return sum, nil
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, 0o640); err != nil {
		return "", fmt.Errorf("blob: store: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return "", fmt.Errorf("blob: store: %w", err)
	}
	return sum, nil
}

// Read returns the file stored under sum.
func Read(dir, sum string) ([]byte, error) {
	b, err := os.ReadFile(filepath.Join(dir, filepath.Base(sum)))
	if err != nil {
		return nil, fmt.Errorf("blob: read: %w", err)
	}
	return b, nil
}
