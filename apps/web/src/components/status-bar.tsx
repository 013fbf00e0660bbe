import { showAlert, useAlert, useOnline } from "../lib/alerts.ts";

/** Offline, and app-wide alerts such as a rate limit, above every screen. */
export function StatusBar() {
  const online = useOnline();
  const alert = useAlert();
  if (!online) {
    return (
      <div className="status-bar offline" role="status">
        오프라인 상태예요. 연결되면 저장하지 못한 내용을 이어서 보낼게요.
      </div>
    );
  }
  if (!alert) return null;
  return (
    <div className="status-bar alert" role="alert">
      {alert}
      <button
        type="button"
        className="secondary"
        onClick={() => {
          showAlert(null);
        }}
      >
        닫기
      </button>
    </div>
  );
}
