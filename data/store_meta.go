package data

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// MetaState is one article's editable metadata with its attributes and
// inferred flags: what an edit changes, and what undoing it puts back.
type MetaState struct {
	ID int64
	Meta
	Attributes map[string]string
	Inferred   []string
}

func (m MetaState) equal(o MetaState) bool {
	return m.Meta == o.Meta && slices.Equal(m.Inferred, o.Inferred) && maps.Equal(m.Attributes, o.Attributes)
}

// MetaEdit changes several articles' metadata at once: each field that is
// not nil is set on every article, and each attribute is set (or, with an
// empty value, removed).
type MetaEdit struct {
	Outlet, Title, URL, Author *string
	Date                       *Date
	Attributes                 map[string]string
}

// Empty reports whether the edit changes nothing.
func (e MetaEdit) Empty() bool {
	return e.Outlet == nil && e.Title == nil && e.URL == nil && e.Author == nil && e.Date == nil && len(e.Attributes) == 0
}

// EditArticles applies e to the articles in one transaction and returns
// their metadata as it was, for RestoreMeta to undo the edit. The fields
// it sets are no longer flagged as inferred.
func (s *Store) EditArticles(ctx context.Context, ids []int64, e MetaEdit) ([]MetaState, error) {
	var before []MetaState
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		if before, err = metaStates(ctx, tx, ids); err != nil {
			return err
		}
		if len(before) < len(uniqueIDs(ids)) {
			return Errorf(ENotFound, "%s", missingIDs(ids, before))
		}
		for _, cur := range before {
			next := cur
			next.Attributes = maps.Clone(cur.Attributes)
			set := func(field string, to *string, v *string) {
				if v != nil {
					*to = strings.TrimSpace(*v)
				}
			}
			set(FieldOutlet, &next.Outlet, e.Outlet)
			set(FieldTitle, &next.Title, e.Title)
			set(FieldURL, &next.URL, e.URL)
			set(FieldAuthor, &next.Author, e.Author)
			if e.Date != nil {
				next.Date = *e.Date
			}
			next.Inferred = slices.DeleteFunc(slices.Clone(cur.Inferred), func(f string) bool {
				switch f {
				case FieldOutlet:
					return e.Outlet != nil
				case FieldTitle:
					return e.Title != nil
				case FieldURL:
					return e.URL != nil
				case FieldAuthor:
					return e.Author != nil
				case FieldDate:
					return e.Date != nil
				}
				return false
			})
			for k, v := range e.Attributes {
				k = strings.TrimSpace(k)
				if k == "" {
					return Errorf(EInvalid, "an attribute needs a name")
				}
				if v == "" {
					delete(next.Attributes, k)
					continue
				}
				if next.Attributes == nil {
					next.Attributes = map[string]string{}
				}
				next.Attributes[k] = v
			}
			if err := putMetaState(ctx, tx, next); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("edit articles: %w", err)
	}
	return before, nil
}

// RestoreMeta puts articles' metadata back as states say, in one
// transaction: the undo of EditArticles.
func (s *Store) RestoreMeta(ctx context.Context, states []MetaState) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		for _, st := range states {
			if err := putMetaState(ctx, tx, st); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("restore article details: %w", err)
	}
	return nil
}

// metaStates reads the articles' editable metadata, in ID order.
func metaStates(ctx context.Context, tx *sql.Tx, ids []int64) ([]MetaState, error) {
	set, err := json.Marshal(uniqueIDs(ids))
	if err != nil {
		return nil, err
	}
	rows, err := tx.QueryContext(ctx, "SELECT id, outlet, date, title, url, author, inferred FROM articles WHERE id"+inIDs+" ORDER BY id", string(set))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []MetaState
	index := map[int64]int{}
	for rows.Next() {
		var m MetaState
		var date, inferred string
		if err := rows.Scan(&m.ID, &m.Outlet, &date, &m.Title, &m.URL, &m.Author, &inferred); err != nil {
			return nil, err
		}
		// Read whole, with its time: this state is written back by every
		// edit and undo, and read to the day it had cut every time away.
		var err error
		if m.Date, err = ParseDateTime(date); err != nil {
			return nil, fmt.Errorf("article %d: %w", m.ID, err)
		}
		m.Inferred = splitInferred(inferred)
		index[m.ID] = len(out)
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	err = eachAttribute(ctx, tx, attributeColumns+" WHERE article_id"+inIDs, []any{string(set)}, func(id int64) *map[string]string {
		if i, ok := index[id]; ok {
			return &out[i].Attributes
		}
		return nil
	})
	return out, err
}

// putMetaState writes one article's metadata, attributes and flags.
func putMetaState(ctx context.Context, tx *sql.Tx, m MetaState) error {
	r, err := tx.ExecContext(ctx, "UPDATE articles SET outlet = ?, date = ?, title = ?, url = ?, author = ?, inferred = ? WHERE id = ?",
		m.Outlet, m.Date.String(), m.Title, m.URL, m.Author, joinInferred(m.Inferred), m.ID)
	if err != nil {
		return err
	}
	if n, _ := r.RowsAffected(); n == 0 {
		return Errorf(ENotFound, "no article %d in this project", m.ID)
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM article_attributes WHERE article_id = ?", m.ID); err != nil {
		return err
	}
	for _, k := range slices.Sorted(maps.Keys(m.Attributes)) {
		if _, err := tx.ExecContext(ctx, "INSERT INTO article_attributes(article_id, name, value) VALUES (?, ?, ?)", m.ID, k, m.Attributes[k]); err != nil {
			return fmt.Errorf("attribute %q: %w", k, err)
		}
	}
	return nil
}

// trimMeta trims the white space a form leaves around values.
func trimMeta(m Meta) Meta {
	m.Outlet, m.Title = strings.TrimSpace(m.Outlet), strings.TrimSpace(m.Title)
	m.URL, m.Author = strings.TrimSpace(m.URL), strings.TrimSpace(m.Author)
	return m
}

// keepUnchanged returns cur's inferred flags for the fields next leaves
// as they were.
func keepUnchanged(cur MetaState, next Meta) []string {
	return slices.DeleteFunc(slices.Clone(cur.Inferred), func(f string) bool {
		switch f {
		case FieldOutlet:
			return next.Outlet != cur.Outlet
		case FieldTitle:
			return next.Title != cur.Title
		case FieldURL:
			return next.URL != cur.URL
		case FieldAuthor:
			return next.Author != cur.Author
		case FieldDate:
			return next.Date != cur.Date
		}
		return false
	})
}

// joinInferred and splitInferred store the inferred flags as one sorted,
// comma-separated column.
func joinInferred(fields []string) string {
	fs := slices.Clone(fields)
	slices.Sort(fs)
	return strings.Join(slices.Compact(fs), ",")
}

func splitInferred(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

func uniqueIDs(ids []int64) []int64 {
	out := slices.Clone(ids)
	slices.Sort(out)
	return slices.Compact(out)
}

// missingIDs words which of ids are not among found.
func missingIDs(ids []int64, found []MetaState) string {
	var miss []string
	for _, id := range uniqueIDs(ids) {
		if !slices.ContainsFunc(found, func(m MetaState) bool { return m.ID == id }) {
			miss = append(miss, fmt.Sprint(id))
		}
	}
	return "no article " + strings.Join(miss, ", ") + " in this project"
}
