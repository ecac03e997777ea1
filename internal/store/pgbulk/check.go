package pgbulk

import (
	"fmt"
	"reflect"

	"gorm.io/gorm/schema"
)

// Check tells whether Insert writes sch's rows as gorm's Create would, and if not names the
// first reason: a hook (BeforeCreate, AfterCreate, BeforeSave, AfterSave), associations, a field
// type adding create clauses, or a field with a default: tag, a serializer, an integer or
// pointer autoCreateTime/autoUpdateTime, a second auto-increment column, a time column of another
// type than timestamptz, an embedded struct behind a pointer, or a Go type with no database
// form. Insert honours none of these, so the store refuses such a model at start instead of
// writing it differently on PostgreSQL than gorm does on SQLite.
func Check(sch *schema.Schema) error {
	refuse := func(why string, args ...any) error {
		return fmt.Errorf("pgbulk: model %s (table %s): %s", sch, sch.Table, fmt.Sprintf(why, args...))
	}
	switch {
	case sch.BeforeCreate:
		return refuse("has a BeforeCreate hook")
	case sch.AfterCreate:
		return refuse("has an AfterCreate hook")
	case sch.BeforeSave:
		return refuse("has a BeforeSave hook")
	case sch.AfterSave:
		return refuse("has an AfterSave hook")
	case len(sch.Relationships.Relations) > 0 || len(sch.Relationships.EmbeddedRelations) > 0:
		return refuse("has associations, which Create would save too")
	case len(sch.CreateClauses) > 0:
		return refuse("a field's type adds clauses to Create")
	}
	id := numbered(sch)
	for _, f := range sch.Fields {
		if f.DBName == "" || !f.Creatable {
			continue // Create leaves these out too
		}
		field := func(why string, args ...any) error {
			return refuse("field %s (column %s): %s", f.Name, f.DBName, fmt.Sprintf(why, args...))
		}
		base := f.FieldType
		for base.Kind() == reflect.Pointer {
			base = base.Elem()
		}
		valuer := implementsValuer(base) || implementsValuer(reflect.PointerTo(base))
		switch {
		case f.Serializer != nil || f.TagSettings["SERIALIZER"] != "":
			return field("has a serializer")
		case f == id:
		case f.AutoIncrement:
			return field("is a second auto-increment column")
		case f.HasDefaultValue || f.DefaultValueInterface != nil || f.DefaultValue != "":
			return field("has a default: tag (%q)", f.DefaultValue)
		}
		if f.AutoCreateTime > 0 || f.AutoUpdateTime > 0 {
			if f.FieldType != timeType || f.AutoCreateTime > schema.UnixTime || f.AutoUpdateTime > schema.UnixTime {
				return field("autoCreateTime or autoUpdateTime on a %s (only a time.Time is filled in)", f.FieldType)
			}
		}
		if f.DataType == "" {
			return field("has no database type")
		}
		if !valuer && naturalType(base) == "" {
			return field("%s has no database form (not a string, number, boolean, time or []byte, nor a driver.Valuer)", f.FieldType)
		}
		if !valuer && base == timeType && sqlType(f) != "timestamptz" {
			return field("a time in a %s column (only timestamptz keeps the instant as Create sends it)", sqlType(f))
		}
		if behindPointer(sch.ModelType, f.StructField.Index) {
			return field("is in an embedded struct behind a pointer")
		}
	}
	return nil
}

// behindPointer tells whether the field at gorm's index path idx of t is reached through a
// pointer (gorm marks an embedded pointer with a negative index; Insert's FieldByIndex would
// fail on it).
func behindPointer(t reflect.Type, idx []int) bool {
	for _, i := range idx[:len(idx)-1] {
		if i < 0 {
			return true
		}
		if t = t.Field(i).Type; t.Kind() == reflect.Pointer {
			return true
		}
	}
	return false
}
