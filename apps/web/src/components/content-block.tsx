import { Field } from "./field.tsx";
import { characterCount, CONTENT_TYPE_LABELS, contentTypes, type ContentType } from "../lib/labels.ts";

export const CONTENT_MAX = 50_000;

export interface ContentDraft {
  key: string;
  type: ContentType;
  content: string;
}

interface ContentBlockProps {
  index: number;
  count: number;
  value: ContentDraft;
  error: string | undefined;
  onChange: (value: ContentDraft) => void;
  onMove: (by: -1 | 1) => void;
  onRemove: () => void;
}

/** One of an episode's contents: its type, its text with the 50,000-character limit shown, and its place in the order. */
export function ContentBlock({ index, count, value, error, onChange, onMove, onRemove }: ContentBlockProps) {
  const length = characterCount(value.content);
  const over = length > CONTENT_MAX;
  const label = index === 0 ? "대표 내용" : `내용 ${index + 1}`;
  return (
    <fieldset className="content-block">
      <legend>{label}</legend>
      <Field label={`${label} 종류`}>
        {(control) => (
          <select
            {...control}
            value={value.type}
            onChange={(event) => {
              onChange({ ...value, type: event.target.value as ContentType });
            }}
          >
            {contentTypes.map((type) => (
              <option key={type} value={type}>
                {CONTENT_TYPE_LABELS[type]}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field
        label={`${label} 본문`}
        error={error ?? (over ? `${CONTENT_MAX.toLocaleString("ko-KR")}자 이내로 입력해 주세요.` : undefined)}
        hint={
          <span className={over ? "counter over" : "counter"}>
            {length.toLocaleString("ko-KR")} / {CONTENT_MAX.toLocaleString("ko-KR")}자
          </span>
        }
      >
        {(control) => (
          <textarea
            {...control}
            value={value.content}
            onChange={(event) => {
              onChange({ ...value, content: event.target.value });
            }}
          />
        )}
      </Field>
      <div className="actions">
        <button
          type="button"
          className="secondary"
          disabled={index === 0}
          onClick={() => {
            onMove(-1);
          }}
          aria-label={`${label} 위로 이동`}
        >
          ↑ 위로
        </button>
        <button
          type="button"
          className="secondary"
          disabled={index === count - 1}
          onClick={() => {
            onMove(1);
          }}
          aria-label={`${label} 아래로 이동`}
        >
          ↓ 아래로
        </button>
        <button type="button" className="secondary" disabled={count === 1} onClick={onRemove} aria-label={`${label} 삭제`}>
          삭제
        </button>
      </div>
    </fieldset>
  );
}
