package blob

import (
	"bytes"
	"fmt"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"

	"qijian/internal/errs"
)

// PDF refusals, naming the upload's field.
var (
	// ErrPDF is a file that starts like a PDF but does not parse and validate as one (random
	// bytes after "%PDF-" are not a PDF), or one too large to check.
	ErrPDF = &errs.Error{Kind: errs.Unsupported, Code: "invalid_pdf", Key: "err.pdf_invalid", Fields: map[string]string{"file": "err.pdf_invalid"}}
	// ErrPDFActive is a PDF that carries what runs or hides things: scripts, launch or form
	// submission actions, embedded files, XFA forms, rich media, or encryption (which hides
	// the rest from the check).
	ErrPDFActive = &errs.Error{Kind: errs.Unsupported, Code: "pdf_active_content", Key: "err.pdf_active", Fields: map[string]string{"file": "err.pdf_active"}}
)

func init() {
	// pdfcpu would otherwise write a configuration directory under the user's home on first use.
	api.DisableConfigDir()
}

// pdfCost is what parsing, checking and rewriting a PDF of n bytes may hold: pdfcpu keeps the
// file, its objects and the rewritten copy, and decodes object and cross-reference streams up to
// pdfLimits' MaxDecodeBytes.
func pdfCost(n int) int64 { return 6*int64(n) + pdfDecodeBytes }

const pdfDecodeBytes = 32 << 20

func pdfConfig() *model.Configuration {
	conf := model.NewDefaultConfiguration()
	conf.ValidationMode = model.ValidationRelaxed
	conf.Offline = true
	conf.Limits.MaxStreamBytes = 16 << 20
	conf.Limits.MaxDecodeBytes = pdfDecodeBytes
	conf.Limits.MaxImagePixels = 40_000_000
	conf.Limits.MaxImageBytes = pdfDecodeBytes
	conf.Limits.MaxObjectCount = 200_000
	conf.Limits.MaxObjectStreamCount = 20_000
	conf.Limits.MaxXRefEntries = 200_000
	conf.Limits.MaxRecursionDepth = 50
	// Plain objects and a plain cross-reference table: what is written can be read (and checked
	// for what it must not hold) without decompressing anything.
	conf.WriteObjectStream, conf.WriteXRefStream = false, false
	return conf
}

// activeAction are the action types that run something, reach outside or send data.
var activeAction = map[string]bool{"JavaScript": true, "Launch": true, "SubmitForm": true, "ImportData": true, "GoToE": true, "GoToR": true,
	"Rendition": true, "RichMediaExecute": true, "Movie": true, "Sound": true}

// activeKey are keys whose presence alone is active or hidden content.
var activeKey = map[string]bool{"JS": true, "JavaScript": true, "XFA": true, "EmbeddedFiles": true, "EF": true, "RichMediaContent": true}

// strippedKey are what a dict may say about who made it or when: removed wherever they occur.
var strippedKey = []string{"Metadata", "PieceInfo", "LastModified"}

// annotKey are an annotation's author, name and dates (the text and the drawing stay).
var annotKey = []string{"T", "NM", "M", "CreationDate"}

// sigKey are what a signature says of its signer; a rewritten PDF's signature is void anyway.
var sigKey = []string{"Name", "ContactInfo", "Location", "Reason", "M", "Cert", "Contents", "Prop_Build", "ByteRange"}

// CleanPDF parses and validates data as a PDF, refuses one with active content or encryption,
// and writes it anew as PDF 2.0 (which has no document information dictionary) with none of its
// metadata: no Info (Author, Creator, Producer, dates), no XMP streams anywhere, no annotation
// authors, no signer's name or certificate, and a new file identifier. Only the objects the
// document reaches are written, so earlier revisions of an incrementally saved file are gone.
// The output is parsed and validated again before it is returned.
func CleanPDF(data []byte) (out []byte, err error) {
	defer func() {
		if r := recover(); r != nil { // a parser bug on hostile input must refuse the file, not the process
			out, err = nil, fmt.Errorf("blob: pdf: %v: %w", r, ErrPDF)
		}
	}()
	ctx, err := api.ReadContext(bytes.NewReader(data), pdfConfig())
	if err != nil {
		return nil, fmt.Errorf("blob: pdf: read: %v: %w", err, ErrPDF)
	}
	if ctx.Encrypt != nil || ctx.E != nil {
		return nil, fmt.Errorf("blob: pdf: encrypted: %w", ErrPDFActive)
	}
	for nr, e := range ctx.Table {
		if e == nil || e.Free || nr == 0 {
			continue
		}
		gen := 0
		if e.Generation != nil {
			gen = *e.Generation
		}
		o, err := ctx.Dereference(*types.NewIndirectRef(nr, gen))
		if err != nil {
			return nil, fmt.Errorf("blob: pdf: object %d: %v: %w", nr, err, ErrPDF)
		}
		if err := scrub(o, 0); err != nil {
			return nil, err
		}
	}
	if err := api.ValidateContext(ctx); err != nil {
		return nil, fmt.Errorf("blob: pdf: validate: %v: %w", err, ErrPDF)
	}
	if ctx.PageCount < 1 {
		return nil, fmt.Errorf("blob: pdf: no pages: %w", ErrPDF)
	}
	ctx.Info, ctx.ID = nil, nil
	x := ctx.XRefTable
	x.Title, x.Subject, x.Author, x.Creator, x.Producer, x.CreationDate, x.ModDate, x.Keywords = "", "", "", "", "", "", "", ""
	x.Properties, x.CatalogXMPMeta = nil, nil
	v20 := model.V20
	ctx.HeaderVersion, ctx.RootVersion = &v20, nil
	var buf bytes.Buffer
	buf.Grow(len(data))
	if err := api.WriteContext(ctx, &buf); err != nil {
		return nil, fmt.Errorf("blob: pdf: write: %v: %w", err, ErrPDF)
	}
	check, err := api.ReadContext(bytes.NewReader(buf.Bytes()), pdfConfig())
	if err == nil {
		err = api.ValidateContext(check)
	}
	if err != nil {
		return nil, fmt.Errorf("blob: pdf: rewritten copy does not validate: %v: %w", err, ErrPDF)
	}
	return buf.Bytes(), nil
}

// scrub refuses active content in o and removes metadata from it and the direct objects it holds.
func scrub(o types.Object, depth int) error {
	if depth > 64 {
		return fmt.Errorf("blob: pdf: nested too deep: %w", ErrPDF)
	}
	switch v := o.(type) {
	case types.StreamDict:
		return scrubDict(v.Dict, depth)
	case *types.StreamDict:
		return scrubDict(v.Dict, depth)
	case types.Dict:
		return scrubDict(v, depth)
	case types.Array:
		for _, x := range v {
			if err := scrub(x, depth+1); err != nil {
				return err
			}
		}
	}
	return nil
}

func scrubDict(d types.Dict, depth int) error {
	for k := range d {
		if activeKey[k] {
			return fmt.Errorf("blob: pdf: /%s: %w", k, ErrPDFActive)
		}
	}
	if s := d.NameEntry("S"); s != nil && activeAction[*s] {
		return fmt.Errorf("blob: pdf: /S /%s: %w", *s, ErrPDFActive)
	}
	if s := d.NameEntry("Subtype"); s != nil && (*s == "FileAttachment" || *s == "RichMedia" || *s == "Movie" || *s == "Sound" || *s == "Screen" || *s == "3D") {
		return fmt.Errorf("blob: pdf: /Subtype /%s: %w", *s, ErrPDFActive)
	}
	for _, k := range strippedKey {
		d.Delete(k)
	}
	if st := d.NameEntry("Subtype"); st != nil && *st != "Widget" && d.NameEntry("FT") == nil {
		if _, ok := d.Find("Rect"); ok {
			for _, k := range annotKey {
				d.Delete(k)
			}
		}
	}
	if t := d.NameEntry("Type"); t != nil && (*t == "Sig" || *t == "DocTimeStamp") {
		for _, k := range sigKey {
			d.Delete(k)
		}
	}
	for _, v := range d {
		if err := scrub(v, depth+1); err != nil {
			return err
		}
	}
	return nil
}
