import { Bar, BarChart, CartesianGrid, LabelList, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

export interface ChartRow {
  label: string;
  /** What the axis shows, when the label is too long for it ("3" for "3월"). */
  tick?: string;
  count: number;
}

interface BarChartCardProps {
  title: string;
  rows: ChartRow[];
  /** Bars across, named on the left: for long names (keywords, activities). */
  horizontal?: boolean;
  /** Said when every count is 0. */
  empty?: string;
}

const BAR_COLOR = "#5b3fd6";
const TICK = { fontSize: 11 };

function Bars({ rows, horizontal }: { rows: ChartRow[]; horizontal: boolean }) {
  const data = rows.map((row) => ({ ...row, tick: row.tick ?? row.label }));
  if (horizontal) {
    return (
      <ResponsiveContainer width="100%" height={rows.length * 34 + 30}>
        <BarChart data={data} layout="vertical" margin={{ top: 0, right: 24, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" horizontal={false} />
          <XAxis type="number" allowDecimals={false} tick={TICK} />
          <YAxis type="category" dataKey="tick" width={96} interval={0} tick={TICK} />
          <Tooltip />
          <Bar dataKey="count" name="개수" fill={BAR_COLOR} radius={[0, 4, 4, 0]} isAnimationActive={false}>
            <LabelList dataKey="count" position="right" fontSize={11} />
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    );
  }
  return (
    <ResponsiveContainer width="100%" height={220}>
      <BarChart data={data} margin={{ top: 20, right: 8, bottom: 0, left: -24 }}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="tick" interval={0} tick={TICK} />
        <YAxis allowDecimals={false} tick={TICK} />
        <Tooltip />
        <Bar dataKey="count" name="개수" fill={BAR_COLOR} radius={[4, 4, 0, 0]} isAnimationActive={false}>
          <LabelList dataKey="count" position="top" fontSize={11} />
        </Bar>
      </BarChart>
    </ResponsiveContainer>
  );
}

/** A bar chart of counts, with the same numbers as a table for screen readers and keyboard users. */
export function BarChartCard({ title, rows, horizontal = false, empty }: BarChartCardProps) {
  const hasData = rows.some((row) => row.count > 0);
  return (
    <figure className="card" aria-label={title} style={{ margin: 0 }}>
      <figcaption>
        <h2 style={{ marginTop: 0 }}>{title}</h2>
      </figcaption>
      {!hasData && empty ? (
        <p className="meta">{empty}</p>
      ) : (
        <div aria-hidden="true">
          <Bars rows={rows} horizontal={horizontal} />
        </div>
      )}
      <details>
        <summary>표로 보기</summary>
        <table>
          <thead>
            <tr>
              <th scope="col">항목</th>
              <th scope="col">개수</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.label}>
                <th scope="row">{row.label}</th>
                <td>{row.count}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
