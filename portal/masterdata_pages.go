package portal

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"qijian/internal/inspections"
	"qijian/internal/store"
)

// masterdataProblem maps the master-data and case-file use cases' errors to the portal's.
func masterdataProblem(err error) error {
	var fe *inspections.FieldError
	switch {
	case errors.As(err, &fe):
		return fieldProblem(map[string]string{fe.Field: fe.Key})
	case errors.Is(err, inspections.ErrForbidden):
		return errForbidden
	case errors.Is(err, inspections.ErrRecordTooLarge):
		return &Problem{Status: fiber.StatusRequestEntityTooLarge, Code: "too_large", Key: "err.file_size", Fields: map[string]string{"file": "err.file_size"}}
	case errors.Is(err, inspections.ErrRecordFileType):
		return &Problem{Status: fiber.StatusUnsupportedMediaType, Code: "unsupported_media_type", Key: "err.record_file_type", Fields: map[string]string{"file": "err.record_file_type"}}
	case errors.Is(err, inspections.ErrRecordClosed):
		return &Problem{Status: fiber.StatusConflict, Code: "not_allowed", Key: "err.record_closed"}
	case errors.Is(err, store.ErrConflict):
		return &Problem{Status: fiber.StatusConflict, Code: "conflict", Key: "err.form"}
	}
	return inspectionProblem(err)
}
