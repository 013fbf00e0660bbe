import { useState } from "react";
import type { ControlProps } from "./field.tsx";

interface StrengthsInputProps {
  control: ControlProps;
  value: string[];
  onChange: (strengths: string[]) => void;
}

/** Strength tags: type one and press Enter (or 추가); each has its own remove button. */
export function StrengthsInput({ control, value, onChange }: StrengthsInputProps) {
  const [draft, setDraft] = useState("");
  const add = () => {
    const tag = draft.trim();
    if (tag && !value.includes(tag)) onChange([...value, tag]);
    setDraft("");
  };
  return (
    <>
      <div className="actions">
        <input
          {...control}
          style={{ flex: "1 1 12rem", width: "auto" }}
          value={draft}
          placeholder="예: 끈기"
          onChange={(event) => {
            setDraft(event.target.value);
          }}
          onKeyDown={(event) => {
            if (event.key === "Enter") {
              event.preventDefault();
              add();
            }
          }}
        />
        <button type="button" className="secondary" onClick={add}>
          추가
        </button>
      </div>
      <ul className="actions" aria-label="추가한 강점" style={{ listStyle: "none", padding: 0 }}>
        {value.map((tag) => (
          <li key={tag} className="tag">
            {tag}{" "}
            <button
              type="button"
              className="secondary"
              aria-label={`${tag} 삭제`}
              onClick={() => {
                onChange(value.filter((other) => other !== tag));
              }}
            >
              ×
            </button>
          </li>
        ))}
      </ul>
    </>
  );
}
