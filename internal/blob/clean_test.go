package blob

import (
	"bytes"
	"compress/zlib"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"qijian/internal/errs"
)

// pngChunk is one PNG chunk with its CRC.
func pngChunk(typ string, body []byte) []byte {
	var b bytes.Buffer
	binary.Write(&b, binary.BigEndian, uint32(len(body)))
	b.WriteString(typ)
	b.Write(body)
	binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(append([]byte(typ), body...)))
	return b.Bytes()
}

// bombPNG writes a real, complete PNG of w×h pixels of the given depth and colour type (6:
// truecolour with alpha) whose rows are all zero: it compresses to almost nothing and decodes to
// w×h×8 bytes at 16 bits. It is streamed row by row, so making it costs the test no such memory.
func bombPNG(t testing.TB, w, h int, depth, colour byte, extra ...[]byte) []byte {
	t.Helper()
	var out bytes.Buffer
	out.Write(pngSig)
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], uint32(w))
	binary.BigEndian.PutUint32(ihdr[4:], uint32(h))
	ihdr[8], ihdr[9] = depth, colour
	out.Write(pngChunk("IHDR", ihdr))
	for _, c := range extra {
		out.Write(c)
	}
	channels := map[byte]int{0: 1, 2: 3, 4: 2, 6: 4}[colour]
	row := make([]byte, 1+w*channels*int(depth)/8)
	var z bytes.Buffer
	zw, _ := zlib.NewWriterLevel(&z, zlib.BestSpeed)
	for range h {
		if _, err := zw.Write(row); err != nil {
			t.Fatal(err)
		}
	}
	zw.Close()
	out.Write(pngChunk("IDAT", z.Bytes()))
	out.Write(pngChunk("IEND", nil))
	return out.Bytes()
}

func TestImageCostFromTheHeader(t *testing.T) {
	t.Parallel()
	trns := pngChunk("tRNS", []byte{0, 0})
	for _, c := range []struct {
		name   string
		data   []byte
		perPix int64
	}{
		{"grey 8", bombPNG(t, 100, 50, 8, 0), 1},
		{"grey 8 with a transparent colour", bombPNG(t, 100, 50, 8, 0, trns), 4},
		{"grey 16", bombPNG(t, 100, 50, 16, 0), 2},
		{"truecolour 8", bombPNG(t, 100, 50, 8, 2), 4},
		{"truecolour 16", bombPNG(t, 100, 50, 16, 2), 8},
		{"rgba 16", bombPNG(t, 100, 50, 16, 6), 8},
	} {
		px, cost, err := ImageCost(c.data)
		if err != nil || px != 5000 {
			t.Fatalf("%s: %d %v", c.name, px, err)
		}
		want := 5000*c.perPix + 2*int64(len(c.data)) + 1<<20
		if cost != want {
			t.Errorf("%s: cost %d, want %d", c.name, cost, want)
		}
		// The estimate holds what Go's decoder really stores.
		img, err := png.Decode(bytes.NewReader(c.data))
		if err != nil {
			t.Fatal(err)
		}
		if got := pixBytes(img); got != 5000*c.perPix {
			t.Errorf("%s: decoded into %T of %d bytes, estimated %d", c.name, img, got, 5000*c.perPix)
		}
	}
	var prog bytes.Buffer
	if err := jpeg.Encode(&prog, image.NewRGBA(image.Rect(0, 0, 64, 64)), nil); err != nil {
		t.Fatal(err)
	}
	if px, cost, err := ImageCost(prog.Bytes()); err != nil || px != 4096 || cost != 4096*3+2*int64(prog.Len())+1<<20 {
		t.Fatalf("baseline jpeg: %d %d %v", px, cost, err)
	}
	if progressiveJPEG(prog.Bytes()) {
		t.Fatal("a baseline JPEG taken for progressive")
	}
	sof2 := bytes.Replace(prog.Bytes(), []byte{0xFF, 0xC0}, []byte{0xFF, 0xC2}, 1)
	if !progressiveJPEG(sof2) {
		t.Fatal("SOF2 not seen")
	}
	for _, bad := range [][]byte{pngSig, append(append([]byte{}, pngSig...), pngChunk("IDAT", nil)...), []byte("GIF89a")} {
		if _, _, err := ImageCost(bad); err == nil {
			t.Fatalf("%q has a cost", bad)
		}
	}
}

func pixBytes(img image.Image) int64 {
	switch m := img.(type) {
	case *image.Gray:
		return int64(len(m.Pix))
	case *image.Gray16:
		return int64(len(m.Pix))
	case *image.RGBA:
		return int64(len(m.Pix))
	case *image.NRGBA:
		return int64(len(m.Pix))
	case *image.RGBA64:
		return int64(len(m.Pix))
	case *image.NRGBA64:
		return int64(len(m.Pix))
	case *image.Paletted:
		return int64(len(m.Pix))
	}
	return -1
}

// heapDuring runs fn while sampling the heap in use, and answers the most it rose above where it
// started.
func heapDuring(fn func()) uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base := ms.HeapInuse
	var peak atomic.Uint64
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		tick := time.NewTicker(2 * time.Millisecond)
		defer tick.Stop()
		for {
			var m runtime.MemStats
			runtime.ReadMemStats(&m)
			if m.HeapInuse > base && m.HeapInuse-base > peak.Load() {
				peak.Store(m.HeapInuse - base)
			}
			select {
			case <-stop:
				return
			case <-tick.C:
			}
		}
	}()
	fn()
	close(stop)
	<-done
	return peak.Load()
}

// TestBombRefusedBeforeDecoding: the 308 KB 16-bit PNG of 6000×6600 pixels that took 660 MB per
// upload (2.3 GB for four at once) is refused from its header, eight at once, while the heap
// stays where it was.
func TestBombRefusedBeforeDecoding(t *testing.T) {
	bomb := bombPNG(t, 6000, 6600, 16, 6)
	if len(bomb) > 1<<20 {
		t.Fatalf("the bomb is %d bytes", len(bomb))
	}
	if 6000*6600 > 40_000_000 {
		t.Fatal("the bomb must be under the pixel cap")
	}
	d := NewDecoder(Budget{})
	var refused atomic.Int32
	rise := heapDuring(func() {
		var wg sync.WaitGroup
		for range 8 {
			wg.Go(func() {
				if _, err := d.Clean(t.Context(), bomb, 40_000_000); errors.Is(err, ErrPixels) && errors.Is(err, errs.TooLarge) {
					refused.Add(1)
				}
			})
		}
		wg.Wait()
	})
	t.Logf("8 bombs of %d bytes (%d MB decoded each): heap rose %d MB", len(bomb), 6000*6600*8>>20, rise>>20)
	if refused.Load() != 8 {
		t.Fatalf("%d of 8 bombs refused", refused.Load())
	}
	if rise > 32<<20 {
		t.Fatalf("refusing 8 bombs took %d MB of heap", rise>>20)
	}
}

// TestParallelDecodesStayWithinTheBudget: eight images that each cost about 40 MB to decode,
// sent at once to a decoder with 100 MB for all, never hold more than the budget together (the
// decoder's own account) and the heap rises no more than twice it (garbage awaiting the
// collector); each is still cleaned.
func TestParallelDecodesStayWithinTheBudget(t *testing.T) {
	img := bombPNG(t, 3000, 3000, 8, 6) // 36 MB as NRGBA
	_, cost, err := ImageCost(img)
	if err != nil {
		t.Fatal(err)
	}
	const total = 100 << 20
	// The wait is long: on a loaded two-core machine under -race each decode takes seconds, and
	// what is measured here is memory, not the wait (TestBusyDecoderAnswersUnavailable has that).
	d := NewDecoder(Budget{Total: total, PerFile: 64 << 20, Workers: 8, Wait: 30 * time.Minute})
	var inFlight, peak atomic.Int64
	var ok atomic.Int32
	rise := heapDuring(func() {
		var wg sync.WaitGroup
		for range 8 {
			wg.Go(func() {
				rel, err := d.acquire(t.Context(), cost)
				if err != nil {
					t.Error(err)
					return
				}
				n := inFlight.Add(cost)
				for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
				}
				out, err := reencode(img, "image/png")
				inFlight.Add(-cost)
				rel()
				if err == nil && len(out) > 0 {
					ok.Add(1)
				}
			})
		}
		wg.Wait()
	})
	t.Logf("8 decodes of %d MB each, budget %d MB: at most %d MB held at once, heap rose %d MB", cost>>20, total>>20, peak.Load()>>20, rise>>20)
	if ok.Load() != 8 {
		t.Fatalf("%d of 8 cleaned", ok.Load())
	}
	if peak.Load() > total {
		t.Fatalf("%d bytes in flight over a budget of %d", peak.Load(), total)
	}
	if rise > 2*total+32<<20 {
		t.Fatalf("heap rose %d MB with a budget of %d MB", rise>>20, total>>20)
	}
	// The same through Clean.
	if c, err := d.Clean(t.Context(), img, 40_000_000); err != nil || c.ContentType != "image/png" {
		t.Fatalf("clean: %v", err)
	}
}

// TestBusyDecoderAnswersUnavailable: when the budget stays full past the wait, the upload is told
// to come back (503), not queued without end.
func TestBusyDecoderAnswersUnavailable(t *testing.T) {
	t.Parallel()
	d := NewDecoder(Budget{Total: 8 << 20, PerFile: 8 << 20, Workers: 1, Wait: 50 * time.Millisecond})
	rel, err := d.acquire(t.Context(), 8<<20)
	if err != nil {
		t.Fatal(err)
	}
	defer rel()
	var b bytes.Buffer
	png.Encode(&b, image.NewGray(image.Rect(0, 0, 8, 8)))
	if _, err := d.Clean(t.Context(), b.Bytes(), 100); !errors.Is(err, ErrBusy) || !errors.Is(err, errs.Unavailable) {
		t.Fatalf("a full decoder: %v", err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := d.Clean(ctx, b.Bytes(), 100); !errors.Is(err, ErrBusy) {
		t.Fatalf("a cancelled upload: %v", err)
	}
}

func TestCleanImagesDropTheirMetadata(t *testing.T) {
	t.Parallel()
	d := NewDecoder(Budget{})
	// A PNG with a text chunk naming its author.
	var plain bytes.Buffer
	img := image.NewNRGBA(image.Rect(0, 0, 8, 8))
	img.Set(1, 1, color.NRGBA{200, 10, 10, 255})
	png.Encode(&plain, img)
	p := plain.Bytes()
	i := bytes.Index(p, []byte("IDAT")) - 4
	tagged := append(append(append([]byte{}, p[:i]...), pngChunk("tEXt", []byte("Author\x00Zhang San 13800001111"))...), p[i:]...)
	c, err := d.Clean(t.Context(), tagged, 100)
	if err != nil || c.ContentType != "image/png" || bytes.Contains(c.Data, []byte("Zhang San")) {
		t.Fatalf("png: %v %q", err, c.ContentType)
	}
	// A JPEG with an EXIF segment.
	var j bytes.Buffer
	jpeg.Encode(&j, img, nil)
	exif := append([]byte{0xFF, 0xE1, 0, 0}, []byte("Exif\x00\x00Owner Zhang San GPS 27.99N")...)
	binary.BigEndian.PutUint16(exif[2:], uint16(len(exif)-2))
	jt := append(append([]byte{0xFF, 0xD8}, exif...), j.Bytes()[2:]...)
	c, err = d.Clean(t.Context(), jt, 100)
	if err != nil || c.ContentType != "image/jpeg" || bytes.Contains(c.Data, []byte("Zhang")) {
		t.Fatalf("jpeg: %v", err)
	}
	// Over the pixel cap, not an image, a PNG that stops after its signature.
	if _, err := d.Clean(t.Context(), p, 63); !errors.Is(err, ErrPixels) {
		t.Fatalf("64 pixels over a cap of 63: %v", err)
	}
	for _, bad := range [][]byte{[]byte("<html><script>alert(1)</script>"), []byte("#!/bin/sh\n"), {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0}} {
		if _, err := d.Clean(t.Context(), bad, 100); !errors.Is(err, ErrType) || errs.FieldsOf(err)["file"] == "" {
			t.Fatalf("%q accepted: %v", bad, err)
		}
	}
}

// pdfDoc builds a PDF from its objects (numbered from 1; object 1 the catalog) with a correct
// cross-reference table; trailer adds to the trailer dictionary. prev appends it as an
// incremental update of an earlier file.
func pdfDoc(objs []string, trailer string) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
	offs := make([]int, len(objs))
	for i, o := range objs {
		offs[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	x := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R %s >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, trailer, x)
	return b.Bytes()
}

func stream(dict, body string) string {
	return fmt.Sprintf("<< %s /Length %d >>\nstream\n%s\nendstream", dict, len(body), body)
}

const xmp = `<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>Zhang San</dc:creator></rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>`

// taggedPDF is a one-page PDF whose Info, XMP, page metadata and annotation name Zhang San, with
// a file identifier of its own; catalog adds to the catalog.
func taggedPDF(catalog string) []byte {
	return pdfDoc([]string{
		"<< /Type /Catalog /Pages 2 0 R /Metadata 5 0 R " + catalog + " >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R /Annots [6 0 R] /Metadata 5 0 R /LastModified (D:20260302101010+08'00') >>",
		stream("", "0 0 m 100 100 l S"),
		stream("/Type /Metadata /Subtype /XML", xmp),
		"<< /Type /Annot /Subtype /Text /Rect [10 10 20 20] /T (Zhang San) /NM (zs-0001) /Contents (the inspector came at night) /M (D:20260302101010+08'00') >>",
		"<< /Author (Zhang San) /Creator (Zhang San's Word) /Producer (WPS) /CreationDate (D:20260302101010+08'00') >>",
	}, "/Info 7 0 R /ID [<5A48414E4753414E0000000000000001> <5A48414E4753414E0000000000000001>]")
}

func TestCleanPDFRewritesWithoutMetadata(t *testing.T) {
	t.Parallel()
	in := taggedPDF("")
	out, err := CleanPDF(in)
	if err != nil {
		t.Fatal(err)
	}
	for _, leak := range []string{"Zhang", "zs-0001", "5A48414E4753414E", "Author", "Creator", "xmpmeta", "/Metadata", "20260302101010", "WPS", "/Info"} {
		if bytes.Contains(out, []byte(leak)) {
			t.Errorf("the rewritten PDF still holds %q", leak)
		}
	}
	if !bytes.HasPrefix(out, []byte("%PDF-2.0")) || !bytes.Contains(out, []byte("the inspector came at night")) {
		t.Fatalf("rewritten: %.200q", out)
	}
	// Through the decoder, for every caller.
	c, err := NewDecoder(Budget{}).Clean(t.Context(), in, 100)
	if err != nil || c.ContentType != "application/pdf" || bytes.Contains(c.Data, []byte("Zhang")) {
		t.Fatalf("clean: %v", err)
	}
	// Cleaning is stable: a cleaned file cleans again.
	if _, err := CleanPDF(out); err != nil {
		t.Fatalf("clean again: %v", err)
	}
}

func TestCleanPDFDropsEarlierRevisions(t *testing.T) {
	t.Parallel()
	base := taggedPDF("")
	// An incremental update that replaces the Info dictionary: the old one stays in the file's
	// bytes, where a careless rewrite would keep it.
	x := bytes.LastIndex(base, []byte("startxref"))
	var prevX int
	fmt.Sscanf(string(base[x+len("startxref\n"):]), "%d", &prevX)
	var b bytes.Buffer
	b.Write(base)
	off := b.Len()
	b.WriteString("7 0 obj\n<< /Title (Complaint) >>\nendobj\n")
	nx := b.Len()
	fmt.Fprintf(&b, "xref\n7 1\n%010d 00000 n \ntrailer\n<< /Size 8 /Root 1 0 R /Info 7 0 R /Prev %d >>\nstartxref\n%d\n%%%%EOF\n", off, prevX, nx)
	out, err := CleanPDF(b.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(out, []byte("Zhang")) || bytes.Contains(out, []byte("Complaint")) {
		t.Fatal("an earlier revision survived")
	}
}

func TestCleanPDFRefusesFakesAndActiveContent(t *testing.T) {
	t.Parallel()
	noise := make([]byte, 4096)
	for i := range noise {
		noise[i] = byte(i*7919 + i/13)
	}
	for _, c := range []struct {
		name string
		data []byte
		want error
	}{
		{"random bytes after %PDF-", append([]byte("%PDF-1.7\n"), noise...), ErrPDF},
		{"a header and nothing else", []byte("%PDF-1.7\n%%EOF\n"), ErrPDF},
		{"an HTML page named .pdf", []byte("%PDF-1.4\n<html><script>alert(1)</script></html>"), ErrPDF},
		{"a catalog without pages", pdfDoc([]string{"<< /Type /Catalog >>"}, ""), ErrPDF},
		{"a page tree of the wrong type", pdfDoc([]string{"<< /Type /Catalog /Pages 2 0 R >>", "(not a page tree)"}, ""), ErrPDF},
		{"a script run on opening", taggedPDF("/OpenAction << /S /JavaScript /JS (app.alert(1)) >>"), ErrPDFActive},
		{"a launch action", taggedPDF("/OpenAction << /S /Launch /F (cmd.exe) >>"), ErrPDFActive},
		{"document-level scripts", taggedPDF("/Names << /JavaScript << /Names [(a) << /S /JavaScript /JS (x) >>] >> >>"), ErrPDFActive},
		{"an embedded file", taggedPDF("/Names << /EmbeddedFiles << /Names [(a.exe) << /Type /Filespec /F (a.exe) /EF << /F 4 0 R >> >>] >> >>"), ErrPDFActive},
		{"an XFA form", taggedPDF("/AcroForm << /Fields [] /XFA 4 0 R >>"), ErrPDFActive},
	} {
		_, err := CleanPDF(c.data)
		if !errors.Is(err, c.want) || !errors.Is(err, errs.Unsupported) {
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
		}
	}
	// What is fine stays fine: a link to a web page is not active content.
	if _, err := CleanPDF(taggedPDF("/OpenAction [3 0 R /Fit]")); err != nil {
		t.Fatalf("an open action to the first page: %v", err)
	}
	if strings.Contains(ErrPDF.Key, " ") {
		t.Fatal("keys are message keys")
	}
}

// TestCleanPDFCostIsWithinItsEstimate: rewriting a PDF holds no more than pdfCost says.
func TestCleanPDFCostIsWithinItsEstimate(t *testing.T) {
	big := strings.Repeat("0 0 m 100 100 l S\n", 300_000) // a 5 MB content stream
	in := pdfDoc([]string{"<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >>", stream("", big)}, "")
	var err error
	rise := heapDuring(func() { _, err = CleanPDF(in) })
	t.Logf("a %d MB PDF: heap rose %d MB, estimate %d MB", len(in)>>20, rise>>20, pdfCost(len(in))>>20)
	if err != nil {
		t.Fatal(err)
	}
	if int64(rise) > pdfCost(len(in)) {
		t.Fatalf("heap rose %d, estimated %d", rise, pdfCost(len(in)))
	}
}

// TestCleanPDFOnEveryTruncation: every prefix of a PDF either cleans (pdfcpu repairs what it
// can) or is refused as not a PDF; none panics the process or slips through unchecked.
func TestCleanPDFOnEveryTruncation(t *testing.T) {
	t.Parallel()
	in := taggedPDF("")
	for i := 0; i < len(in); i += 5 {
		out, err := CleanPDF(in[:i])
		switch {
		case err == nil && (bytes.Contains(out, []byte("Zhang")) || !bytes.HasPrefix(out, []byte("%PDF-2.0"))):
			t.Fatalf("prefix %d cleaned with its metadata", i)
		case err != nil && !errors.Is(err, ErrPDF) && !errors.Is(err, ErrPDFActive):
			t.Fatalf("prefix %d: %v", i, err)
		}
	}
}
