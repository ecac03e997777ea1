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
	base := fmt.Sprintf("/api/v1/complaints/%.0f", o["id"])
	photo := jpegWithExif(t, "OWNER=陈晓东;GPS=27.99,120.69")
	code, out := e.upload(base+"/evidence", ent, photo)
	if code != 201 {
		t.Fatalf("upload a photo: %d %s", code, out)
	}
	if code, out := e.upload(base+"/evidence", ent, authoredPDF("Chen Xiaodong")); code != 201 {
		t.Fatalf("upload a PDF: %d %s", code, out)
	}
	if code, out := e.upload(base+"/evidence", ent, []byte("%PDF-1.4\n1 0 obj <</Author (陈晓东)>> endobj\ntrailer\n%%EOF")); code != 415 || !strings.Contains(out, `"file"`) {
		t.Fatalf("a header and no PDF: %d %s", code, out)
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
	// Everyone who sees the order gets its files, rebuilt without their metadata: the photo
	// without EXIF, the PDF without its author. The view and the download agree.
	for who, tok := range map[string]string{"officer": officer, "liaison": liaison, "filer": ent} {
		_, seen := e.api("GET", base, tok, nil)
		files := seen["evidence"].([]any)
		if len(files) != 2 {
			t.Fatalf("%s sees %d files, want both", who, len(files))
		}
		for _, f := range files {
			f := f.(map[string]any)
			code, got := e.raw("GET", fmt.Sprintf("%s/evidence/%.0f", base, f["id"]), tok, "")
			if code != 200 || strings.Contains(got, "OWNER") || strings.Contains(got, "GPS") || strings.Contains(got, "Chen") || strings.Contains(got, "Author") {
				t.Fatalf("%s downloads %v: %d, metadata kept", who, f["content_type"], code)
			}
			if f["content_type"] == "image/jpeg" && !strings.HasPrefix(got, "\xFF\xD8") || f["content_type"] == "application/pdf" && !strings.HasPrefix(got, "%PDF-") {
				t.Fatalf("%s downloads %v: not what it says", who, f["content_type"])
			}
		}
	}
	// Files of an anonymous order are named by reference: the row ids name nothing.
	if code, _ := e.raw("GET", base+"/evidence/2", officer, ""); code != 404 {
		t.Fatalf("officer downloads by row id: %d", code)
	}
	_, own := e.api("GET", base, ent, nil)
	first := fmt.Sprintf("%s/evidence/%.0f", base, own["evidence"].([]any)[0].(map[string]any)["id"])
	if code, _ := e.raw("GET", first, e.token("ent-b"), ""); code != 404 {
		t.Fatalf("another enterprise downloads: %d", code)
	}
}
