// Package blob checks uploaded files by their content, rebuilds them without their metadata
// within a memory budget (Decoder.Clean), counts them against each user's upload quota, and keeps
// them on disk named by their SHA-256, for complaint evidence and inspection case files alike.
package blob

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"

	"qijian/internal/errs"
)

// ErrType is a file that is not a PDF, JPEG or PNG by its bytes, or an image that does not
// decode.
var ErrType = &errs.Error{Kind: errs.Unsupported, Code: "unsupported_media_type", Key: "err.file_type", Fields: map[string]string{"file": "err.file_type"}}

// Sum is the hex SHA-256 a file is stored under.
func Sum(data []byte) string {
	s := sha256.Sum256(data)
	return hex.EncodeToString(s[:])
}

// Reserve is the free space Put leaves on the data disk: an upload that would eat into it is
// refused, so that the database, which shares the disk, keeps room to write.
const Reserve = 256 << 20

// ErrNoSpace refuses an upload when the data disk is (nearly) full: the portal answers 503
// with Retry-After and says so in plain words.
var ErrNoSpace = errs.New(errs.Unavailable, "storage_full", "err.storage_full")

// Put stores data in dir under its sum (written to a temporary file, synced, then renamed, so a
// reader never sees half a file) and returns the sum. The same content is stored once. The
// temporary file is removed on every failure: a partial file must not fill the last space.
func Put(dir string, data []byte) (string, error) { return PutWithin(dir, data, Reserve) }

// PutWithin is Put with the free space to leave on the disk.
func PutWithin(dir string, data []byte, reserve int64) (sum string, err error) {
	sum = Sum(data)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return "", storeErr("dir", err)
	}
	path := filepath.Join(dir, sum)
	if _, err := os.Stat(path); err == nil {
		return sum, nil
	}
	if free, err := FreeBytes(dir); err == nil && free-int64(len(data)) < reserve {
		return "", fmt.Errorf("blob: %d bytes free, %d asked, %d kept in reserve: %w", free, len(data), reserve, ErrNoSpace)
	}
	f, err := createTemp(dir, sum+".*.tmp")
	if err != nil {
		return "", storeErr("create", err)
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if _, err = f.Write(data); err != nil {
		return "", storeErr("write", err)
	}
	if err = f.Sync(); err != nil {
		return "", storeErr("sync", err)
	}
	if err = f.Close(); err != nil {
		return "", storeErr("close", err)
	}
	if err = os.Chmod(f.Name(), 0o640); err != nil {
		return "", storeErr("chmod", err)
	}
	if err = os.Rename(f.Name(), path); err != nil {
		return "", storeErr("rename", err)
	}
	return sum, nil
}

// tempFile is what Put needs of its temporary file.
type tempFile interface {
	Write([]byte) (int, error)
	Sync() error
	Close() error
	Name() string
}

// createTemp makes Put's temporary file (a test makes one whose writes fail as a full disk's do).
var createTemp = func(dir, pattern string) (tempFile, error) { return os.CreateTemp(dir, pattern) }

// storeErr wraps a file system failure; a full disk is unavailability (503, retry later), with
// the real cause kept for the log.
func storeErr(op string, err error) error {
	if errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT) {
		return fmt.Errorf("blob: %s: %w", op, &errs.Error{Kind: errs.Unavailable, Code: "storage_full", Key: "err.storage_full", Err: err})
	}
	if errors.Is(err, syscall.EROFS) {
		return fmt.Errorf("blob: %s: %w", op, &errs.Error{Kind: errs.Unavailable, Code: "storage_read_only", Key: "err.unavailable", Err: err})
	}
	return fmt.Errorf("blob: %s: %w", op, err)
}

// FreeBytes is the space left to unprivileged writers on the file system holding dir.
func FreeBytes(dir string) (int64, error) {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		return 0, fmt.Errorf("blob: statfs: %w", err)
	}
	return int64(st.Bavail) * int64(st.Bsize), nil
}

// Read returns the file stored under sum.
func Read(dir, sum string) ([]byte, error) {
	b, err := os.ReadFile(filepath.Join(dir, filepath.Base(sum)))
	if err != nil {
		return nil, fmt.Errorf("blob: read: %w", err)
	}
	return b, nil
}
