package portal_test

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"mime/multipart"
	"net/http/httptest"
	"strings"
	"testing"
)

func jpegWithExif(t *testing.T, secret string) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 40, 30))
	for x := 0; x < 40; x++ {
		img.Set(x, x%30, color.RGBA{200, 10, 10, 255})
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, nil); err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()
	// An APP1 segment right after SOI, as cameras write EXIF.
	payload := append([]byte("Exif\x00\x00"), []byte(secret)...)
	seg := []byte{0xFF, 0xE1, byte((len(payload) + 2) >> 8), byte(len(payload) + 2)}
	out := append([]byte{}, b[:2]...)
	out = append(out, seg...)
	out = append(out, payload...)
	return append(out, b[2:]...)
}

func (e *env) upload(path, token string, data []byte) (int, string) {
	e.t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	fw, _ := w.CreateFormFile("file", "photo.png")
	fw.Write(data)
	w.Close()
	req := httptest.NewRequest("POST", path, &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := e.srv.App().Test(req, 20000)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

func TestEvidenceIsCheckedByContentAndStrippedOfMetadata(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ent, officer, liaison := e.token("ent-a"), e.token("officer-scj"), e.token("liaison-lc")
	_, o := e.api("POST", "/api/v1/complaints", ent, map[string]any{"type": "conduct", "description": "检查时拍照取证", "body_id": 1, "anonymous": true})
	base := fmt.Sprintf("/api/v1/complaints/%v", o["id"])
	photo := jpegWithExif(t, "OWNER=陈晓东;GPS=27.99,120.69")
	code, out := e.upload(base+"/evidence", ent, photo)
	if code != 201 {
		t.Fatalf("upload a photo: %d %s", code, out)
	}
	code, _ = e.upload(base+"/evidence", ent, []byte("%PDF-1.4\n1 0 obj <</Author (陈晓东)>> endobj\ntrailer\n%%EOF"))
	if code != 201 {
		t.Fatalf("upload a PDF: %d", code)
	}
	if code, out := e.upload(base+"/evidence", ent, []byte("<script>alert(1)</script> named photo.png")); code != 415 || !strings.Contains(out, `"file"`) {
		t.Fatalf("text named .png: %d %s", code, out)
	}
	if code, _ := e.upload(base+"/evidence", ent, bytes.Repeat([]byte{0xFF}, 10<<20+1)); code != 413 {
		t.Fatalf("10 MB + 1 byte: %d", code)
	}
	if code, _ := e.upload(base+"/evidence", e.token("ent-b"), photo); code != 404 {
		t.Fatalf("another enterprise uploads: %d", code)
	}
	e.api("POST", base+"/actions", liaison, map[string]any{"action": "accept"})
	e.api("POST", base+"/actions", liaison, map[string]any{"action": "dispatch", "unit_id": 1})
	if code, _ := e.upload(base+"/evidence", officer, photo); code != 403 {
		t.Fatalf("the handling unit uploads to the reporter's order: %d", code)
	}
	// The unit gets the photo without its metadata, and not the PDF of an anonymous order.
	_, seen := e.api("GET", base, officer, nil)
	files := seen["evidence"].([]any)
	if len(files) != 1 {
		t.Fatalf("officer sees %d files, want the photo only", len(files))
	}
	code, got := e.raw("GET", fmt.Sprintf("%s/evidence/%v", base, files[0].(map[string]any)["id"]), officer, "")
	if code != 200 || strings.Contains(got, "OWNER") || strings.Contains(got, "GPS") || !strings.HasPrefix(got, "\xFF\xD8") {
		t.Fatalf("downloaded photo: %d, metadata kept or not a JPEG", code)
	}
	if code, _ := e.raw("GET", base+"/evidence/2", officer, ""); code != 404 {
		t.Fatalf("officer downloads the anonymous PDF: %d", code)
	}
	// Liaisons do not know an anonymous reporter either (only by an audited reveal): the order's
	// view leaves its PDF out for them, and the download follows the view.
	_, li := e.api("GET", base, liaison, nil)
	if files := li["evidence"].([]any); len(files) != 1 {
		t.Fatalf("liaison sees %d files, want the photo only", len(files))
	}
	if code, _ := e.raw("GET", base+"/evidence/2", liaison, ""); code != 404 {
		t.Fatalf("liaison downloads the anonymous PDF: %d, want 404 as the view hides it", code)
	}
	_, own := e.api("GET", base, ent, nil)
	if files := own["evidence"].([]any); len(files) != 2 {
		t.Fatalf("the filer sees %d files, want both", len(files))
	}
	if code, got := e.raw("GET", base+"/evidence/2", ent, ""); code != 200 || !strings.HasPrefix(got, "%PDF") {
		t.Fatalf("the filer downloads its PDF: %d", code)
	}
	if code, _ := e.raw("GET", base+"/evidence/1", e.token("ent-b"), ""); code != 404 {
		t.Fatalf("another enterprise downloads: %d", code)
	}
}
