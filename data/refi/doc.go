// Package refi reads and writes REFI-QDA (QDA-XML 1.0) files, the
// exchange format of NVivo, ATLAS.ti, MAXQDA and QualCoder. Read checks a
// .qdpx project and turns it into a data.QDPXPlan, which
// data.Store.ApplyQDPX writes in one transaction; WriteQDPX and WriteQDC
// write a data.ExportData snapshot.
//
// A .qdpx project is a zip holding project.qde (XML,
// urn:QDA-XML:project:1.0) and a sources/ folder of plain-text files; a
// .qdc file is the codebook alone (urn:QDA-XML:codebook:1.0); a .qde is
// the project document alone, its sources in a folder beside it. Positions
// in a PlainTextSelection are meant to be zero-based code-point offsets
// into the plain text, the same unit as Parallax's rune offsets, so
// annotations are written without conversion (and Project/@origin says
// so). Other tools count otherwise — NVivo in UTF-16 code units — so Read
// decides the unit of each source from its text and its producer, and
// imports a selection nothing places as orphaned (units.go).
//
// How Parallax's model maps onto the schema:
//
//   - Articles are TextSources whose text is sources/<guid>.txt. Outlet,
//     date, URL, author, title and the article's attributes are project
//     Variables (all typed Text: Parallax dates may be just a year or a
//     month, which xsd:date cannot hold) with a VariableValue on each
//     source, the form MAXQDA writes and QualCoder reads.
//   - Annotations are PlainTextSelections with one Coding per code. The
//     note is the selection's Description, which is where MAXQDA writes a
//     coding memo and QualCoder reads one; a NoteRef would need a Note per
//     annotation and is read by fewer tools.
//   - Memos are Notes whose text is sources/<guid>.txt (the form NVivo
//     writes and QualCoder reads as journals), referenced from the project,
//     the source or the code they are about.
//   - Codes keep their names exactly ("/" included), isCodable (a
//     category is not codable) and their colour only if they have one.
//   - Coders are Users: creatingUser and modifyingUser of selections,
//     codings and notes; a coder keeps the GUID another tool gave them.
//   - Sets and variable types of imported projects are kept and written
//     back; sets Parallax wrote for its clusters are not imported.
//   - Clusters are Sets: the schema's Sets hold only sources, codes and
//     notes, not selections, so a cluster becomes the set of its members'
//     articles, with the passages listed in the Set's Description and the
//     cluster's memos as MemberNotes.
//   - Orphaned annotations (their passage no longer found in the text)
//     are Notes on their source rather than selections: their offsets no
//     longer point at the passage, and coding the wrong text in another
//     tool would be worse than a note. The note names the passage and the
//     annotation's codes, and keeps the annotation's GUID, so that
//     importing it into a project that holds the annotation adds nothing;
//     UnplacedAnnotations counts them for the export's warning.
package refi
