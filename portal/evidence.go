package portal

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strconv"

	"qijian/internal/errs"

	"github.com/gofiber/fiber/v2"

	"qijian/internal/grievance"
)

func (s *Server) files() grievance.Files {
	return grievance.Files{Dir: filepath.Join(s.DataDir, "uploads", "evidence")}
}

func evidenceProblem(err error) error {
	switch {
	case errors.Is(err, grievance.ErrTooLarge):
		return &errs.Error{Kind: errs.TooLarge, Code: "too_large", Key: "err.file_size", Fields: map[string]string{"file": "err.file_size"}}
	case errors.Is(err, grievance.ErrFileType):
		return &errs.Error{Kind: errs.Unsupported, Code: "unsupported_media_type", Key: "err.file_type", Fields: map[string]string{"file": "err.file_type"}}
	case errors.Is(err, grievance.ErrTooManyFile):
		return &errs.Error{Kind: errs.Invalid, Code: "validation", Key: "err.file_count", Fields: map[string]string{"file": "err.file_count"}}
	}
	return orderProblem(err)
}

// readUpload reads the multipart "file" field, refusing more than the limit without reading it all.
func readUpload(c *fiber.Ctx) ([]byte, error) {
	fh, err := c.FormFile("file")
	if err != nil {
		return nil, &errs.Error{Kind: errs.Malformed, Code: "bad_request", Key: "err.required", Fields: map[string]string{"file": "err.required"}}
	}
	if fh.Size > grievance.MaxEvidenceSize {
		return nil, grievance.ErrTooLarge
	}
	f, err := fh.Open()
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, grievance.MaxEvidenceSize+1))
	if err != nil {
		return nil, err
	}
	if len(b) > grievance.MaxEvidenceSize {
		return nil, grievance.ErrTooLarge
	}
	return b, nil
}

func (s *Server) attach(c *fiber.Ctx) (uint64, error) {
	id, err := orderID(c)
	if err != nil {
		return 0, err
	}
	data, err := readUpload(c)
	if err != nil {
		return id, evidenceProblem(err)
	}
	ev, err := s.svc.Orders.Attach(c.UserContext(), s.files(), viewerOf(c).Actor, id, data)
	if err != nil {
		return id, evidenceProblem(err)
	}
	return ev.ID, nil
}

func (s *Server) apiAttach(c *fiber.Ctx) error {
	eid, err := s.attach(c)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{"id": eid})
}

func (s *Server) pageAttach(c *fiber.Ctx) error {
	if _, err := s.attach(c); err != nil {
		return err
	}
	return c.Redirect("/complaints/"+c.Params("id")+"?done=attach", fiber.StatusSeeOther)
}

// evidenceFile serves a file as a download that browsers will not sniff or render inline.
func (s *Server) evidenceFile(c *fiber.Ctx) error {
	id, err := orderID(c)
	if err != nil {
		return err
	}
	eid, err := strconv.ParseUint(c.Params("eid"), 10, 64)
	if err != nil {
		return errNotFound
	}
	ev, b, err := s.svc.Orders.OpenEvidence(c.UserContext(), s.files(), viewerOf(c).Actor, id, eid)
	if err != nil {
		return orderProblem(err)
	}
	ext := map[string]string{"image/jpeg": "jpg", "image/png": "png", "application/pdf": "pdf"}[ev.ContentType]
	c.Set(fiber.HeaderContentType, ev.ContentType)
	c.Set(fiber.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="evidence-%d.%s"`, ev.ID, ext))
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	return c.Send(b)
}
