// CodeMirror 6 editors for the playground: JSON, Handlebars-in-JSON and raw text, themed with the
// page's CSS variables (so they follow the light/dark system theme), keyboard accessible (Tab
// leaves the editor; Escape then Tab too), with inline diagnostics from @codemirror/lint.
import { EditorState, Compartment } from '@codemirror/state';
import {
  EditorView,
  keymap,
  lineNumbers,
  highlightActiveLine,
  highlightActiveLineGutter,
  highlightSpecialChars,
  drawSelection,
  placeholder as placeholderExt,
} from '@codemirror/view';
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { StreamLanguage, syntaxHighlighting, HighlightStyle, bracketMatching, indentOnInput } from '@codemirror/language';
import { lintGutter, setDiagnostics } from '@codemirror/lint';
import { tags as t } from '@lezer/highlight';

// Handlebars inside (usually) JSON text: mustaches, comments, helpers, paths, strings, numbers.
const handlebarsJson = StreamLanguage.define({
  name: 'handlebars-json',
  startState: () => ({ mustache: false, comment: null, string: false }),
  token(stream, state) {
    if (state.comment) {
      const end = state.comment;
      while (!stream.eol()) {
        if (stream.match(end)) {
          state.comment = null;
          return 'comment';
        }
        stream.next();
      }
      return 'comment';
    }
    if (!state.mustache) {
      if (stream.match(/^\{\{~?!--/)) {
        state.comment = /^--~?\}\}/;
        return 'comment';
      }
      if (stream.match(/^\{\{~?!/)) {
        state.comment = /^~?\}\}/;
        return 'comment';
      }
      if (stream.match(/^\{\{\{?~?[#/^>&]?/)) {
        state.mustache = true;
        return 'brace';
      }
      if (state.string) {
        if (stream.peek() === '"') {
          stream.next();
          state.string = false;
          return 'string';
        }
        while (!stream.eol() && stream.peek() !== '"' && !stream.match(/^\{\{/, false)) {
          if (stream.next() === '\\') stream.next();
        }
        return 'string';
      }
      if (stream.peek() === '"') {
        // A whole string without mustaches: a key when a colon follows.
        if (stream.match(/^"(?:[^"\\{]|\\.|\{(?!\{))*"/)) return stream.match(/^\s*:/, false) ? 'propertyName' : 'string';
        stream.next();
        state.string = true;
        return 'string';
      }
      if (stream.match(/^-?\d+(\.\d+)?([eE][+-]?\d+)?/)) return 'number';
      if (stream.match(/^(true|false|null)\b/)) return 'atom';
      if (stream.match(/^[{}[\],:]/)) return 'punctuation';
      stream.next();
      return null;
    }
    // Inside a mustache.
    if (stream.eatSpace()) return null;
    if (stream.match(/^~?\}\}\}?/)) {
      state.mustache = false;
      return 'brace';
    }
    if (stream.match(/^"(?:[^"\\]|\\.)*"?/) || stream.match(/^'(?:[^'\\]|\\.)*'?/)) return 'string';
    if (stream.match(/^-?\d+(\.\d+)?/)) return 'number';
    if (stream.match(/^(if|unless|each|with|else|lookup|log|this)\b/)) return 'keyword';
    if (stream.match(/^(true|false|null|undefined)\b/)) return 'atom';
    if (stream.match(/^@[\w]+/)) return 'variableName.special';
    if (stream.match(/^[\w$-]+=/)) return 'attributeName';
    if (stream.match(/^[^\s"'{}()=~.\/[\]|]+/)) return 'variableName';
    if (stream.match(/^\[[^\]]*\]?/)) return 'variableName';
    stream.next();
    return 'operator';
  },
  languageData: { commentTokens: { block: { open: '{{!--', close: '--}}' } } },
  tokenTable: { brace: t.brace, punctuation: t.punctuation, propertyName: t.propertyName },
});

const highlight = HighlightStyle.define([
  { tag: t.string, color: 'var(--syn-string)' },
  { tag: t.number, color: 'var(--syn-number)' },
  { tag: [t.atom, t.bool, t.null], color: 'var(--syn-atom)' },
  { tag: t.propertyName, color: 'var(--syn-property)' },
  { tag: t.keyword, color: 'var(--syn-keyword)', fontWeight: '600' },
  { tag: [t.variableName], color: 'var(--syn-variable)' },
  { tag: t.special(t.variableName), color: 'var(--syn-keyword)' },
  { tag: t.attributeName, color: 'var(--syn-property)' },
  { tag: t.brace, color: 'var(--syn-brace)', fontWeight: '600' },
  { tag: t.comment, color: 'var(--muted)', fontStyle: 'italic' },
  { tag: [t.punctuation, t.operator], color: 'var(--syn-punct)' },
]);

const theme = EditorView.theme({
  '&': {
    color: 'var(--text)',
    backgroundColor: 'var(--editor-bg)',
    fontSize: '13.5px',
    border: '1px solid var(--border)',
    borderRadius: '8px',
  },
  '&.cm-focused': { outline: '2px solid var(--focus)', outlineOffset: '1px' },
  '.cm-scroller': { fontFamily: 'var(--mono)', lineHeight: '1.55', overflow: 'auto' },
  '.cm-content': { caretColor: 'var(--text)', padding: '8px 0' },
  '.cm-cursor, .cm-dropCursor': { borderLeftColor: 'var(--text)' },
  '&.cm-focused > .cm-scroller > .cm-selectionLayer .cm-selectionBackground, .cm-selectionBackground, ::selection':
    { backgroundColor: 'var(--selection) !important' },
  '.cm-gutters': {
    backgroundColor: 'var(--editor-gutter)',
    color: 'var(--muted)',
    border: 'none',
    borderRight: '1px solid var(--border)',
    borderRadius: '8px 0 0 8px',
  },
  '.cm-activeLine': { backgroundColor: 'var(--active-line)' },
  '.cm-activeLineGutter': { backgroundColor: 'var(--active-line)', color: 'var(--text)' },
  '.cm-placeholder': { color: 'var(--muted)' },
  '.cm-specialChar': { color: 'var(--err)' },
  '.cm-tooltip': {
    backgroundColor: 'var(--surface)',
    color: 'var(--text)',
    border: '1px solid var(--border)',
    borderRadius: '6px',
    boxShadow: 'var(--shadow)',
  },
  '.cm-tooltip-lint': { maxWidth: 'min(520px, 90vw)' },
  '.cm-diagnostic': { padding: '6px 10px', fontFamily: 'var(--sans)', fontSize: '13px' },
  '.cm-diagnostic-error': { borderLeft: '4px solid var(--err)' },
  '.cm-diagnostic-warning': { borderLeft: '4px solid var(--warn)' },
  '.cm-diagnostic-info': { borderLeft: '4px solid var(--accent)' },
  '.cm-diagnosticAction': {
    backgroundColor: 'var(--accent)',
    color: 'var(--on-accent)',
    borderRadius: '4px',
    padding: '2px 8px',
    font: 'inherit',
    fontWeight: '600',
  },
  '.cm-lintRange-error': { backgroundImage: 'none', textDecoration: 'underline wavy var(--err)', textUnderlineOffset: '3px' },
  '.cm-lintRange-warning': { backgroundImage: 'none', textDecoration: 'underline wavy var(--warn)', textUnderlineOffset: '3px' },
  '.cm-lintRange-info': { backgroundImage: 'none', textDecoration: 'underline dotted var(--accent)', textUnderlineOffset: '3px' },
  '.cm-lint-marker': { width: '0.9em', height: '0.9em' },
  '.cm-matchingBracket': { backgroundColor: 'var(--match)', outline: 'none' },
});

/**
 * Create an editor. `lang`: 'json' | 'handlebars' | 'text'. `exact`: keep the text exactly as
 * typed or pasted (only \n separates lines; \r stays a visible character), needed for raw bodies
 * and templates whose offsets must match the library's. `onChange(text)` runs on every edit.
 */
export function createEditor({ parent, doc = '', lang = 'text', label, onChange, exact = true, minLines = 6, lint = false, placeholder, readOnly = false, gutter = true }) {
  const language = new Compartment();
  const langExt = lang === 'json' || lang === 'handlebars' ? handlebarsJson : [];
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc,
      extensions: [
        exact ? EditorState.lineSeparator.of('\n') : [],
        readOnly ? [EditorState.readOnly.of(true)] : [],
        gutter ? lineNumbers() : [],
        readOnly ? [] : highlightActiveLineGutter(),
        highlightSpecialChars(),
        history(),
        drawSelection(),
        indentOnInput(),
        bracketMatching(),
        readOnly ? [] : highlightActiveLine(),
        lint ? lintGutter() : [],
        syntaxHighlighting(highlight),
        language.of(langExt),
        keymap.of([...defaultKeymap, ...historyKeymap]),
        EditorView.lineWrapping,
        theme,
        placeholder ? placeholderExt(placeholder) : [],
        EditorView.contentAttributes.of({ 'aria-label': label, 'aria-multiline': 'true', spellcheck: 'false', autocapitalize: 'off', autocorrect: 'off', ...(readOnly ? { 'aria-readonly': 'true' } : {}) }),
        EditorView.updateListener.of((u) => {
          if (u.docChanged && onChange) onChange(u.state.doc.toString(), u);
        }),
        EditorView.theme({ '.cm-content, .cm-gutter': { minHeight: `${minLines * 1.55 * 13.5 + 16}px` } }),
      ],
    }),
  });
  return {
    view,
    get value() {
      return view.state.doc.toString();
    },
    /** Replace the whole text (no onChange loop issues: callers guard on equality). */
    set(text) {
      const cur = view.state.doc.toString();
      if (cur === text) return;
      view.dispatch({ changes: minimalChange(cur, text) });
    },
    /** Switch the highlighting: 'json' | 'handlebars' | 'text'. */
    setLang(next) {
      if (next === lang) return;
      lang = next;
      view.dispatch({ effects: language.reconfigure(next === 'json' || next === 'handlebars' ? handlebarsJson : []) });
    },
    /** Insert text at the cursor (replacing the selection) and focus. */
    insert(text) {
      const { from, to } = view.state.selection.main;
      view.dispatch({ changes: { from, to, insert: text }, selection: { anchor: from + text.length }, scrollIntoView: true });
      view.focus();
    },
    diagnostics(list) {
      view.dispatch(setDiagnostics(view.state, list));
    },
    focus() {
      view.focus();
    },
  };
}

/** The smallest single change turning `a` into `b` (keeps the cursor and undo history sane). */
export function minimalChange(a, b) {
  let start = 0;
  const max = Math.min(a.length, b.length);
  while (start < max && a.charCodeAt(start) === b.charCodeAt(start)) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a.charCodeAt(endA - 1) === b.charCodeAt(endB - 1)) {
    endA--;
    endB--;
  }
  return { from: start, to: endA, insert: b.slice(start, endB) };
}
