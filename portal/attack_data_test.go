package portal_test

// The attack suite's data part: anonymity by inference, file metadata, decompression bombs and
// fake files, upload quotas, the outbox's personal data, calendar feeds, and list scopes. Each
// test plays an attacker and fails when the protection it names breaks.

import (
	"bytes"
	"fmt"
)

// authoredPDF is a one-page PDF whose information dictionary, XMP packet and annotation name
// author, as a word processor and a reader leave them.
func authoredPDF(author string) []byte {
	xmp := `<x:xmpmeta xmlns:x="adobe:ns:meta/"><dc:creator>` + author + `</dc:creator></x:xmpmeta>`
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R /Metadata 4 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Annots [6 0 R] >>",
		fmt.Sprintf("<< /Type /Metadata /Subtype /XML /Length %d >>\nstream\n%s\nendstream", len(xmp), xmp),
		"<< /Author (" + author + ") /Creator (" + author + "'s Word) /CreationDate (D:20260302101010+08'00') >>",
		"<< /Type /Annot /Subtype /Text /Rect [10 10 20 20] /T (" + author + ") /Contents (note) >>",
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.7\n")
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
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R /Info 5 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, x)
	return b.Bytes()
}
