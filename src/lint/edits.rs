//! Edits of the template text and the mapping of positions between the text before and after
//! them (syntax fixes are applied before the tree is checked; findings point into the source).

/// One replacement, with its range in the old and in the new text.
#[derive(Clone, Debug)]
pub(super) struct Edit {
    old_start: usize,
    old_end: usize,
    new_start: usize,
    new_end: usize,
    replacement: String,
}

/// Non-overlapping edits of an old text, sorted, with their positions in the new text.
#[derive(Clone, Debug, Default)]
pub(super) struct EditMap {
    edits: Vec<Edit>,
}

impl EditMap {
    /// Build from edits given in old coordinates (sorted, non-overlapping); returns the new text.
    pub(super) fn build(old: &str, mut edits: Vec<Edit>) -> (String, EditMap) {
        edits.sort_by_key(|e| (e.old_start, e.old_end));
        let mut out = String::with_capacity(old.len() + 16);
        let mut pos = 0;
        for e in &mut edits {
            out.push_str(old.get(pos..e.old_start).unwrap_or(""));
            e.new_start = out.len();
            out.push_str(&e.replacement);
            e.new_end = out.len();
            pos = e.old_end;
        }
        out.push_str(old.get(pos..).unwrap_or(""));
        (out, EditMap { edits })
    }

    /// Map a new-text position to the old text. Inside an edit, a start maps to the edit's
    /// old start and an end to its old end.
    pub(super) fn to_old(&self, p: usize, is_end: bool) -> usize {
        let mut delta: isize = 0;
        for e in &self.edits {
            if p <= e.new_start {
                break;
            }
            if p >= e.new_end {
                delta += (e.new_end - e.new_start) as isize - (e.old_end - e.old_start) as isize;
                continue;
            }
            return if is_end { e.old_end } else { e.old_start };
        }
        (p as isize - delta).max(0) as usize
    }

    /// Whether the new-text range `start..end` touches the inside of an edit.
    pub(super) fn overlaps(&self, start: usize, end: usize) -> bool {
        self.edits.iter().any(|e| {
            if start == end {
                start > e.new_start && start < e.new_end
            } else {
                start < e.new_end && end > e.new_start
                    || (e.new_start == e.new_end && start < e.new_start && end > e.new_start)
            }
        })
    }
}

/// An edit in old coordinates (its new range is filled in by [`EditMap::build`]).
pub(super) fn edit(start: usize, end: usize, replacement: &str) -> Edit {
    Edit {
        old_start: start,
        old_end: end,
        new_start: 0,
        new_end: 0,
        replacement: replacement.to_string(),
    }
}
