package portal

import "qijian/portal/api"

// apiAnswer is a use case's view answered as its API type, or the use case's error as it is.
func apiAnswer[V, T any](v *V, err error, out func(*V) T) (T, error) {
	if err != nil {
		var none T
		return none, err
	}
	return out(v), nil
}

// apiList is a use case's list of views answered as an API list.
func apiList[V, T any](list []V, err error, out func(*V) T) (api.List[T], error) {
	if err != nil {
		return api.List[T]{}, err
	}
	return api.ListOf(convert(list, out)), nil
}

// convert turns each view of list into its API type.
func convert[V, T any](list []V, out func(*V) T) []T {
	items := make([]T, len(list))
	for i := range list {
		items[i] = out(&list[i])
	}
	return items
}
