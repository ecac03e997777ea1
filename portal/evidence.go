package portal

import (
	"fmt"
	"io"
	"mime/multipart"
	"path/filepath"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"qijian/internal/errs"
	"qijian/internal/grievance"
	"qijian/portal/api"
)

func (s *Server) files() grievance.Files {
	return grievance.Files{Dir: filepath.Join(s.DataDir, "uploads", "evidence"), Quota: s.UploadQuota}
}

// readUpload reads the multipart "file" field, refusing more than the limit without reading it all.
func readUpload(c *fiber.Ctx) ([]byte, error) {
	fh, err := c.FormFile("file")
	if err != nil {
		return nil, &errs.Error{Kind: errs.Malformed, Code: "bad_request", Key: "err.required", Fields: map[string]string{"file": "err.required"}}
	}
	return readFile(fh)
}

// readUploads reads every file of a multipart field (none is no error), each as readUpload does.
func readUploads(c *fiber.Ctx, field string) ([][]byte, error) {
	form, err := c.MultipartForm()
	if err != nil {
		return nil, nil // a form without files (urlencoded) brings none
	}
	var out [][]byte
	for _, fh := range form.File[field] {
		if fh.Size == 0 && fh.Filename == "" {
			continue // the browser's empty file input
		}
		if len(out) >= grievance.MaxEvidenceFiles {
			return nil, grievance.ErrTooManyFiles
		}
		b, err := readFile(fh)
		if err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, nil
}

func readFile(fh *multipart.FileHeader) ([]byte, error) {
	if fh.Size > grievance.MaxEvidenceSize {
		return nil, grievance.ErrTooLarge
	}
	f, err := fh.Open()
	if err != nil {
		return nil, fmt.Errorf("portal: upload: %w", err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, grievance.MaxEvidenceSize+1))
	if err != nil {
		return nil, fmt.Errorf("portal: upload: %w", err)
	}
	if len(b) > grievance.MaxEvidenceSize {
		return nil, grievance.ErrTooLarge
	}
	return b, nil
}

// attach stores the uploaded file on order id (the API and the page share it).
func (s *Server) attach(c *fiber.Ctx, id uint64) (grievance.EvidenceFile, error) {
	data, err := readUpload(c)
	if err != nil {
		return grievance.EvidenceFile{}, err
	}
	return s.svc.Orders.Attach(keyed(c), s.files(), viewerOf(c).Actor, id, data)
}

// apiAttach takes a multipart upload (field "file"), which the JSON endpoint reads itself.
func (s *Server) apiAttach(c *fiber.Ctx, p *api.ID, _ *struct{}) (api.EvidenceAdded, error) {
	ev, err := s.attach(c, p.ID)
	if err != nil {
		return api.EvidenceAdded{}, err
	}
	return api.EvidenceAdded{ID: ev.ID}, nil
}

func (s *Server) pageAttach(c *fiber.Ctx) error {
	var p api.ID
	if err := bindParams(c, &p); err != nil {
		return err
	}
	if _, err := s.attach(c, p.ID); err != nil {
		return err
	}
	return c.Redirect("/complaints/"+strconv.FormatUint(p.ID, 10)+"?done=attach", fiber.StatusSeeOther)
}

// evidenceRef is the download's parameters (named here: the route table's api is its group).
type evidenceRef = api.EvidenceRef

// evidenceFile serves a file as a download that browsers will not sniff or render inline.
func (s *Server) evidenceFile(c *fiber.Ctx) error {
	var p evidenceRef
	if err := bindParams(c, &p); err != nil {
		return err
	}
	ev, b, err := s.svc.Orders.OpenEvidence(c.UserContext(), s.files(), viewerOf(c).Actor, p.OrderID, p.ID)
	if err != nil {
		return err
	}
	ext := map[string]string{"image/jpeg": "jpg", "image/png": "png", "application/pdf": "pdf"}[ev.ContentType]
	c.Set(fiber.HeaderContentType, ev.ContentType)
	c.Set(fiber.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="evidence-%d.%s"`, ev.ID, ext))
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	return c.Send(b)
}
