package store

import "gorm.io/gorm"

func gormExpr(sql string) any { return gorm.Expr(sql) }
