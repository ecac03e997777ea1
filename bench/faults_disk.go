package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"io/fs"
	"math/rand/v2"
	"mime/multipart"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// diskSize is the file system the full-disk fault gives an embedded serve: above the 256 MiB
// that uploads leave free (blob.Reserve), so that uploads work before the fault and after it.
const diskSize = "320m"

// faultDiskFull runs an embedded `qijian serve` (SQLite and the in-process Redis) with its data
// directory on a small tmpfs of its own, fills that file system to the last byte for 6 s, then
// frees it. While full: uploads answer 503 with Retry-After, filings answer 2xx or 503 with
// Retry-After (never a 500), /readyz says not ready when the database cannot write, and no
// partial upload (.tmp) is left. After: filing, upload and readiness work again within 30 s.
// Mounting needs root; without it the fault is skipped and says so.
func (s *suite) faultDiskFull(ctx context.Context) (*window, error) {
	tmp := filepath.Dir(s.worker.log)
	mnt := filepath.Join(tmp, "disk")
	if err := os.MkdirAll(mnt, 0o755); err != nil {
		return nil, err
	}
	if out, err := exec.CommandContext(ctx, "mount", "-t", "tmpfs", "-o", "size="+diskSize, "tmpfs", mnt).CombinedOutput(); err != nil {
		s.verdict(true, "full disk", "skipped: cannot mount a tmpfs here (%v %s); run the suite as root to include it", err, strings.TrimSpace(string(out)))
		return nil, nil
	}
	defer func() {
		if out, err := exec.Command("umount", mnt).CombinedOutput(); err != nil {
			fmt.Fprintf(os.Stderr, "bench: umount %s: %v %s\n", mnt, err, out)
		}
	}()
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	data := filepath.Join(mnt, "data")
	env := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME"), "TZ=UTC", "QIJIAN_DATA_DIR=" + data, "QIJIAN_ADDR=" + addr,
		"QIJIAN_SECRET=" + benchSecret, "QIJIAN_DEMO_PASSWORD=" + benchPassword, "QIJIAN_SUBMIT_PER_MINUTE=1000000"}
	demo := exec.CommandContext(ctx, s.bin, "demo")
	demo.Env = env
	if out, err := demo.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("qijian demo on the small disk: %v\n%s", err, out)
	}
	serve := &proc{name: "serve", bin: s.bin, args: []string{"serve"}, env: env, log: filepath.Join(tmp, "serve-disk.log")}
	if err := serve.start(); err != nil {
		return nil, err
	}
	defer serve.stop()
	a := newAPI("http://"+addr, 4, 5*time.Second)
	if _, err := a.waitReady(ctx, 30*time.Second); err != nil {
		return nil, fmt.Errorf("embedded serve on the small disk: %v\n%s", err, serve.tail(3000))
	}
	tok, err := a.token(ctx, "ent-a", benchPassword)
	if err != nil {
		return nil, err
	}
	n := 0
	file := func() answer {
		n++
		body := map[string]any{"type": "illegal_inspection", "reasons": []string{"NOTICE-1"}, "description": fmt.Sprintf("磁盘写满测试：检查前未送达检查通知书 %d", n), "body_id": 1}
		return a.do(ctx, nil, "POST", "/api/v1/complaints", tok, body, "Idempotency-Key", fmt.Sprintf("disk-%s-%d", s.load.runID, n))
	}
	r := file()
	id, _ := r.json()["id"].(float64)
	if r.kind() != "" || id == 0 {
		s.verdict(false, "full disk", "the first filing on the small disk answered %d %v %s", r.Status, r.Err, r.Body)
		return nil, nil
	}
	upload := func() answer { return uploadPNG(ctx, a, tok, uint64(id)) }
	if r := upload(); r.Status != 201 {
		s.verdict(false, "full disk", "an upload before the fault answered %d %v %s", r.Status, r.Err, r.Body)
		return nil, nil
	}
	var free int64
	if st, err := statfs(mnt); err == nil {
		free = st
	}
	fill := filepath.Join(mnt, "fill")
	filled, err := fillDisk(fill)
	if err != nil {
		return nil, err
	}
	s.logf("embedded serve (pid %d) on a %s tmpfs: %s were free, filled with %s; filings, uploads and /readyz for 6 s", serve.pid(), diskSize, mb(float64(free)), mb(float64(filled)))
	type seen struct{ ok, s503, s503NoRA, other int }
	var filings, uploads, ready seen
	var others []string
	note := func(k *seen, r answer, what string) {
		switch {
		case r.kind() == "":
			k.ok++
		case r.Status == 503 && r.RetryAfter != "":
			k.s503++
		case r.Status == 503:
			k.s503NoRA++
		default:
			k.other++
			if len(others) < 3 {
				others = append(others, fmt.Sprintf("%s %d %v %.80s", what, r.Status, r.Err, r.Body))
			}
		}
	}
	for end := time.Now().Add(6 * time.Second); time.Now().Before(end) && ctx.Err() == nil; {
		note(&filings, file(), "filing")
		note(&uploads, upload(), "upload")
		note(&ready, a.do(ctx, nil, "GET", "/readyz", "", nil), "readyz")
		s.sleep(ctx, 200*time.Millisecond)
	}
	var tmps []string
	_ = filepath.WalkDir(data, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".tmp") {
			tmps = append(tmps, strings.TrimPrefix(p, data+"/"))
		}
		return nil
	})
	if err := os.Remove(fill); err != nil {
		return nil, err
	}
	freed := time.Now()
	s.logf("space freed")
	var filedAt, uploadedAt, readyAt time.Time
	for time.Since(freed) < 30*time.Second && ctx.Err() == nil && (filedAt.IsZero() || uploadedAt.IsZero() || readyAt.IsZero()) {
		if filedAt.IsZero() && file().kind() == "" {
			filedAt = time.Now()
		}
		if uploadedAt.IsZero() && upload().Status == 201 {
			uploadedAt = time.Now()
		}
		if readyAt.IsZero() && a.do(ctx, nil, "GET", "/readyz", "", nil).Status == 200 {
			readyAt = time.Now()
		}
		if filedAt.IsZero() || uploadedAt.IsZero() || readyAt.IsZero() {
			s.sleep(ctx, 250*time.Millisecond)
		}
	}
	cause := "(none)"
	if b, err := os.ReadFile(serve.log); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if strings.Contains(l, "full") || strings.Contains(l, "no space") || strings.Contains(l, "ENOSPC") {
				cause = strings.TrimSpace(l)
				if len(cause) > 240 {
					cause = cause[:240] + "…"
				}
				break
			}
		}
	}
	s.verdict(uploads.ok == 0 && uploads.s503NoRA == 0 && uploads.other == 0 && uploads.s503 > 0, "full disk: uploads answer 503 with Retry-After",
		"%d uploads: %d 503 with Retry-After, %d 503 without, %d 2xx, %d other %v", uploads.ok+uploads.s503+uploads.s503NoRA+uploads.other, uploads.s503, uploads.s503NoRA, uploads.ok, uploads.other, others)
	s.verdict(filings.s503NoRA == 0 && filings.other == 0, "full disk: filings answer 2xx or 503 with Retry-After, never a 500",
		"%d filings: %d 2xx (the database still had room in its own pages), %d 503 with Retry-After, %d 503 without, %d other; the log names the cause: %s",
		filings.ok+filings.s503+filings.s503NoRA+filings.other, filings.ok, filings.s503, filings.s503NoRA, filings.other, cause)
	probes := ready.ok + ready.s503 + ready.s503NoRA + ready.other
	s.verdict(probes > 0 && (2*ready.ok <= probes || filings.ok > 0), "full disk: /readyz not ready while the database cannot write",
		"%d probes: %d not ready, %d ready (ready is right only while filings still commit: %d did)", probes, ready.s503+ready.s503NoRA, ready.ok, filings.ok)
	s.verdict(len(tmps) == 0, "full disk: no .tmp left", "%d partial files left in the data directory %v", len(tmps), tmps)
	s.verdict(!filedAt.IsZero() && !uploadedAt.IsZero() && !readyAt.IsZero(), "full disk: recovered within 30 s of freeing space",
		"first filing %s, first upload %s, /readyz 200 %s after the space was freed", sinceOr(filedAt, freed), sinceOr(uploadedAt, freed), sinceOr(readyAt, freed))
	if !serve.running() {
		s.verdict(false, "full disk: the embedded serve kept running", "it exited:\n%s", serve.tail(2000))
	}
	return nil, nil
}

// fillDisk writes path until the file system is full; it answers how much it wrote.
func fillDisk(path string) (int64, error) {
	f, err := os.Create(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	chunk := make([]byte, 1<<20)
	var n int64
	for {
		w, err := f.Write(chunk)
		n += int64(w)
		if errors.Is(err, syscall.ENOSPC) {
			break
		}
		if err != nil {
			return n, err
		}
	}
	// The last pages: smaller writes until not one byte fits.
	for size := 1 << 19; size >= 1; size /= 2 {
		for {
			w, err := f.Write(chunk[:size])
			n += int64(w)
			if err != nil {
				break
			}
		}
	}
	return n, nil
}

func statfs(dir string) (int64, error) {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		return 0, err
	}
	return int64(st.Bavail) * int64(st.Bsize), nil
}

// uploadPNG attaches a small PNG of random pixels (each one different, so none is stored already)
// to the order as its filer.
func uploadPNG(ctx context.Context, a *api, token string, order uint64) answer {
	img := image.NewRGBA(image.Rect(0, 0, 48, 48))
	for i := range img.Pix {
		img.Pix[i] = byte(rand.IntN(256))
	}
	img.Set(0, 0, color.RGBA{A: 255})
	var pb bytes.Buffer
	if err := png.Encode(&pb, img); err != nil {
		return answer{Err: err}
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	w, _ := mw.CreateFormFile("file", "evidence.png")
	_, _ = w.Write(pb.Bytes())
	_ = mw.Close()
	req, err := http.NewRequestWithContext(ctx, "POST", fmt.Sprintf("%s/api/v1/complaints/%d/evidence", a.base, order), &body)
	if err != nil {
		return answer{Err: err}
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Idempotency-Key", "disk-upload-"+randHex(6))
	start := time.Now()
	res, err := a.client().Do(req)
	if err != nil {
		return answer{Err: err, Took: time.Since(start)}
	}
	b, err := io.ReadAll(res.Body)
	res.Body.Close()
	return answer{Status: res.StatusCode, Body: b, Err: err, Took: time.Since(start), RetryAfter: res.Header.Get("Retry-After")}
}
