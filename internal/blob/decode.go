package blob

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"net/http"
	"runtime"
	"time"

	"golang.org/x/sync/semaphore"

	"qijian/internal/errs"
)

// Refusals of Clean, each naming the upload's field ("file").
var (
	// ErrPixels is an image whose decoded size is over what one decode may take: its header
	// says so before a byte of it is decoded.
	ErrPixels = &errs.Error{Kind: errs.TooLarge, Code: "image_too_large", Key: "err.image_pixels", Fields: map[string]string{"file": "err.image_pixels"}}
	// ErrBusy: the decoders are full and the wait ran out; the portal answers 503 with Retry-After.
	ErrBusy = errs.New(errs.Unavailable, "decoders_busy", "err.uploads_busy")
)

// Budget bounds what decoding uploads may cost a process: the memory all decodes in flight may
// hold together (Total), what one decode may hold (PerFile), how many run at once (Workers) and
// how long an upload waits for room (Wait).
type Budget struct {
	Total   int64
	PerFile int64
	Workers int
	Wait    time.Duration
}

// DefaultBudget: one decode of up to 160 MiB (a 40-megapixel 8-bit photo: 4 bytes a pixel) and
// 256 MiB for all in flight, two or as many decoders as cores. A 16-bit PNG of 6000×6600 pixels
// (8 bytes a pixel, 317 MB) is refused from its header; four of them at once cost nothing.
var DefaultBudget = Budget{Total: 256 << 20, PerFile: 160 << 20, Workers: max(2, runtime.NumCPU()), Wait: 20 * time.Second}

// Decoder cleans uploads within a Budget. One per process: the budget is the process's.
type Decoder struct {
	b       Budget
	mem     *semaphore.Weighted
	workers *semaphore.Weighted
}

// NewDecoder is a decoder with budget b (zero fields take DefaultBudget's).
func NewDecoder(b Budget) *Decoder {
	d := DefaultBudget
	if b.Total > 0 {
		d.Total = b.Total
	}
	if b.PerFile > 0 {
		d.PerFile = b.PerFile
	}
	if b.Workers > 0 {
		d.Workers = b.Workers
	}
	if b.Wait > 0 {
		d.Wait = b.Wait
	}
	d.PerFile = min(d.PerFile, d.Total)
	return &Decoder{b: d, mem: semaphore.NewWeighted(d.Total), workers: semaphore.NewWeighted(int64(d.Workers))}
}

// Shared is the process's decoder: evidence, case files and anything else uploaded share it.
var Shared = NewDecoder(Budget{})

// Cleaned is an upload as stored: its bytes rebuilt without metadata, and its type by content.
type Cleaned struct {
	Data        []byte
	ContentType string
}

// Clean accepts JPEG, PNG and PDF by their bytes (never a name) and rebuilds them without what
// could name who made them: images are decoded and re-encoded (no EXIF, GPS, comments), PDFs
// parsed, checked and rewritten without their information dictionary, XMP, annotation authors,
// signatures' names or file identifier (CleanPDF). maxPixels caps an image's width × height.
// Before anything is decoded, the header tells what the decode will hold in memory; over the
// budget's PerFile it is refused (ErrPixels), and otherwise it waits for room in the budget and
// for a free worker (ErrBusy after Budget.Wait or when ctx ends).
func (d *Decoder) Clean(ctx context.Context, data []byte, maxPixels int) (Cleaned, error) {
	ctype := http.DetectContentType(data)
	var cost int64
	switch ctype {
	case "image/png", "image/jpeg":
		px, c, err := ImageCost(data)
		if err != nil {
			return Cleaned{}, ErrType
		}
		if px > int64(maxPixels) || c > d.b.PerFile {
			return Cleaned{}, ErrPixels
		}
		cost = c
	case "application/pdf":
		cost = pdfCost(len(data))
		if cost > d.b.PerFile {
			return Cleaned{}, ErrPDF
		}
	default:
		return Cleaned{}, ErrType
	}
	release, err := d.acquire(ctx, cost)
	if err != nil {
		return Cleaned{}, err
	}
	defer release()
	var out []byte
	if ctype == "application/pdf" {
		out, err = CleanPDF(data)
	} else {
		out, err = reencode(data, ctype)
	}
	if err != nil {
		return Cleaned{}, err
	}
	return Cleaned{Data: out, ContentType: ctype}, nil
}

// acquire waits for a worker and for cost bytes of the budget.
func (d *Decoder) acquire(ctx context.Context, cost int64) (func(), error) {
	ctx, cancel := context.WithTimeout(ctx, d.b.Wait)
	defer cancel()
	if err := d.workers.Acquire(ctx, 1); err != nil {
		return nil, fmt.Errorf("blob: wait for a decoder: %w", ErrBusy)
	}
	if err := d.mem.Acquire(ctx, cost); err != nil {
		d.workers.Release(1)
		return nil, fmt.Errorf("blob: wait for decode memory: %w", ErrBusy)
	}
	return func() { d.mem.Release(cost); d.workers.Release(1) }, nil
}

// reencode decodes an image and writes it anew: only the pixels survive.
func reencode(data []byte, ctype string) ([]byte, error) {
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, ErrType
	}
	var buf bytes.Buffer
	buf.Grow(len(data))
	if ctype == "image/png" {
		err = png.Encode(&buf, img)
	} else {
		err = jpeg.Encode(&buf, img, &jpeg.Options{Quality: 90})
	}
	if err != nil {
		return nil, fmt.Errorf("blob: re-encode: %w", err)
	}
	return buf.Bytes(), nil
}

// ImageCost reads a PNG's or JPEG's header and tells its pixels and the bytes decoding and
// re-encoding it will hold: the decoded image (bytes per pixel follow from the colour type and
// depth as Go's decoders store them: 16-bit PNGs take 8 bytes a pixel), twice that for an
// interlaced PNG (its passes are decoded apart), a progressive JPEG's coefficients (4 bytes a
// pixel and component), the encoded output, and a little for rows and tables.
func ImageCost(data []byte) (pixels, cost int64, err error) {
	var decoded int64
	switch http.DetectContentType(data) {
	case "image/png":
		h, err := pngHeader(data)
		if err != nil {
			return 0, 0, err
		}
		pixels = int64(h.width) * int64(h.height)
		decoded = pixels * h.bytesPerPixel()
		if h.interlaced {
			decoded *= 2
		}
	case "image/jpeg":
		cfg, err := jpeg.DecodeConfig(bytes.NewReader(data))
		if err != nil {
			return 0, 0, err
		}
		pixels = int64(cfg.Width) * int64(cfg.Height)
		comps := int64(3)
		switch cfg.ColorModel {
		case color.GrayModel:
			comps = 1
		case color.CMYKModel:
			comps = 8 // decoded as YCbCr plus black, then converted to CMYK
		}
		decoded = pixels * comps
		if progressiveJPEG(data) {
			decoded += pixels * 4 * min(comps, 4)
		}
	default:
		return 0, 0, ErrType
	}
	if pixels <= 0 {
		return 0, 0, ErrType
	}
	return pixels, decoded + 2*int64(len(data)) + 1<<20, nil
}

type pngIHDR struct {
	width, height       uint32
	depth, colour       byte
	interlaced, hasTRNS bool
}

// bytesPerPixel is what Go's PNG decoder stores a pixel in: Gray, Gray16, RGBA, NRGBA, RGBA64,
// NRGBA64 or Paletted; a grey image with a transparent colour becomes NRGBA(64).
func (h pngIHDR) bytesPerPixel() int64 {
	wide := h.depth == 16
	switch h.colour {
	case 0: // grey
		switch {
		case h.hasTRNS && wide:
			return 8
		case h.hasTRNS:
			return 4
		case wide:
			return 2
		}
		return 1
	case 3: // paletted
		return 1
	}
	if wide { // truecolour, grey + alpha, truecolour + alpha
		return 8
	}
	return 4
}

var pngSig = []byte("\x89PNG\r\n\x1a\n")

// pngHeader walks a PNG's chunks up to its first IDAT: the header, and whether a tRNS chunk
// changes how the decoder stores pixels. Nothing is decompressed.
func pngHeader(data []byte) (pngIHDR, error) {
	var h pngIHDR
	bad := errors.New("blob: png header")
	if !bytes.HasPrefix(data, pngSig) {
		return h, bad
	}
	p := data[len(pngSig):]
	for i := 0; len(p) >= 12; i++ {
		n := binary.BigEndian.Uint32(p[:4])
		typ := string(p[4:8])
		if uint64(n)+12 > uint64(len(p)) {
			return h, bad
		}
		body := p[8 : 8+n]
		switch {
		case i == 0 && typ != "IHDR", typ == "IHDR" && (i != 0 || n != 13):
			return h, bad
		case typ == "IHDR":
			h.width, h.height = binary.BigEndian.Uint32(body[0:4]), binary.BigEndian.Uint32(body[4:8])
			h.depth, h.colour, h.interlaced = body[8], body[9], body[12] == 1
			if h.width == 0 || h.height == 0 || h.width > 1<<24 || h.height > 1<<24 {
				return h, bad
			}
		case typ == "tRNS":
			h.hasTRNS = true
		case typ == "IDAT":
			return h, nil
		}
		p = p[12+n:]
	}
	return h, bad
}

// progressiveJPEG tells whether a JPEG's frame is progressive (SOF2, or SOF6/SOF10/SOF14),
// whose decoder keeps every coefficient until the end.
func progressiveJPEG(data []byte) bool {
	for i := 2; i+4 <= len(data); {
		if data[i] != 0xFF {
			return false
		}
		m := data[i+1]
		switch {
		case m == 0xFF:
			i++
			continue
		case m == 0xC2 || m == 0xC6 || m == 0xCA || m == 0xCE:
			return true
		case m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC:
			return false // another frame type: baseline or extended sequential
		case m == 0xDA || m == 0xD9:
			return false
		}
		i += 2 + int(binary.BigEndian.Uint16(data[i+2:i+4]))
	}
	return false
}
