package inspection

import "qijian/internal/errs"

// The refusals of the inspection use cases, each of a kind the portal maps once.
var (
	// ErrForbidden: the caller may not do this (its role, or another body's master data).
	ErrForbidden = errs.New(errs.Forbidden, "forbidden", "err.forbidden")
	// ErrBodyForbidden: an officer registers an inspection none of whose bodies is its own.
	ErrBodyForbidden = &errs.Error{Kind: errs.Forbidden, Code: "forbidden", Key: "err.forbidden", Fields: map[string]string{"body_ids": "err.forbidden"}}
	// ErrNotFound: no such inspection, record, inspector or item for this caller; someone
	// else's is not found either, so a refusal does not confirm it exists.
	ErrNotFound = errs.New(errs.NotFound, "not_found", "err.not_found")
	// ErrTransition: the inspection cannot move to that status from where it is.
	ErrTransition = errs.New(errs.Conflict, "not_allowed", "err.forbidden")
	// ErrRatingClosed: the rating can no longer change (or the inspection has not happened yet).
	ErrRatingClosed = errs.New(errs.Conflict, "rating_closed", "err.rating_closed")
	// ErrRecordTooLarge: a case-file document over MaxRecordSize.
	ErrRecordTooLarge = &errs.Error{Kind: errs.TooLarge, Code: "too_large", Key: "err.file_size", Fields: map[string]string{"file": "err.file_size"}}
	// ErrRecordFileType: only PDF, JPEG or PNG, judged by content.
	ErrRecordFileType = &errs.Error{Kind: errs.Unsupported, Code: "unsupported_media_type", Key: "err.record_file_type", Fields: map[string]string{"file": "err.record_file_type"}}
	// ErrRecordClosed: a cancelled or merged inspection takes no records.
	ErrRecordClosed = errs.New(errs.Conflict, "not_allowed", "err.record_closed")
)
