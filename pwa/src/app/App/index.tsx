import { useEffect } from "preact/hooks";
import { Andon } from "../../features/andon/screens/Andon";
import { CountPage } from "../../features/counting/screens/CountPage";
import { CountsPage } from "../../features/counting/screens/CountsPage";
import { ReconcilePage } from "../../features/counting/screens/ReconcilePage";
import { Home } from "../../features/home/screens/Home";
import { Outbox } from "../../features/outbox/screens/Outbox";
import { RecordPage } from "../../features/records/screens/Record";
import { PickPage } from "../../features/stock/screens/PickPage";
import { ReceivePage } from "../../features/stock/screens/ReceivePage";
import { TracePage } from "../../features/stock/screens/TracePage";
import { MovePage } from "../../features/stock/screens/MovePage";
import { ShipPage } from "../../features/stock/screens/ShipPage";
import { MOVE_KINDS, type MoveKind } from "../../features/stock/moves";
import { Settings } from "../../features/settings/screens/Settings";
import { afterSignIn } from "../../features/signin/model";
import { SignIn } from "../../features/signin/screens/SignIn";
import { t } from "../../i18n";
import { Toasts } from "../../ui/Toast";
import { cameraOpen } from "../camera-state";
import { lazyScreen } from "../lazy";
import { navigate, path, recordPath, route } from "../router";
import { ScanBar } from "../ScanBar";
import { sessionExpired, user } from "../session";
import { TopBar } from "../TopBar";
import { UpdatePrompt } from "../UpdatePrompt";
import "../theme.css";

// The planner's Gantt is desk work: it loads when first opened, not with every handheld's shell.
const Gantt = lazyScreen(() => import("../../features/production/screens/Gantt").then((m) => m.Gantt), { page: true });

/** Routes that need nobody signed in. */
const PUBLIC = new Set(["signin"]);
/** Whether someone was signed in during this page's life: after a sign-out the next person
 * starts at home, not on the previous person's page. */
let someoneWasHere = false;

function Screen() {
  const r = route.value;
  if (!user.value && !PUBLIC.has(r.name)) return null; // redirected below
  switch (r.name) {
    case "home":
      return <Home />;
    case "signin":
      return <SignIn />;
    case "record":
      return <RecordPage kind={r.kind} code={r.code} />;
    case "outbox":
      return <Outbox />;
    case "settings":
      return <Settings />;
    case "andon":
      return <Andon />;
    case "plan":
      return <Gantt />;
    case "receive":
      return <ReceivePage item={r.item} />;
    case "pick":
      return <PickPage code={r.code} />;
    case "trace":
      return <TracePage code={r.code} />;
    case "move":
      return MOVE_KINDS.includes(r.kind as MoveKind)
        ? <MovePage kind={r.kind as MoveKind} code={r.code} /> : <main class="page"><h1>{t("app.notFound")}</h1></main>;
    case "ship":
      return <ShipPage lot={r.lot} />;
    case "counts":
      return <CountsPage location={r.location} />;
    case "count":
      return <CountPage code={r.code} />;
    case "reconcile":
      return <ReconcilePage location={r.location} />;
    case "scan":
    case "label":
      return null; // handled in the effect below
    default:
      return <main class="page"><h1>{t("app.notFound")}</h1></main>;
  }
}

export function App() {
  const r = route.value;
  const signedIn = !!user.value;

  useEffect(() => {
    // A label opened by the phone's camera app (/S/KIND/CODE) opens its record, after
    // sign-in when needed.
    if (signedIn) someoneWasHere = true;
    if (!signedIn && !PUBLIC.has(r.name)) {
      // A label link, or a page whose session expired, is where the person wanted to be.
      afterSignIn.value = !someoneWasHere || sessionExpired.value ? path.value : "/";
      navigate("/signin", { replace: true });
    } else if (signedIn && r.name === "signin") {
      const target = afterSignIn.value;
      afterSignIn.value = "/";
      navigate(target, { replace: true });
    } else if (r.name === "label") {
      navigate(recordPath(r.kind, r.code), { replace: true });
    } else if (r.name === "scan") {
      navigate("/", { replace: true });
      cameraOpen.value = true;
    }
  }, [r, signedIn]);

  return (
    <>
      <TopBar />
      <ScanBar />
      <UpdatePrompt />
      <Screen />
      <Toasts />
    </>
  );
}
