// What the backend sends in a web push (see takt.platform.push.send_push); the service worker
// shows it and turns its actions into outbox commands.
export interface PushCommand {
  method: "POST" | "PUT" | "PATCH" | "DELETE";
  path: string;
  body?: unknown;
  record_key?: string;
}

export interface PushAction {
  action: string;
  title: string;
  command?: PushCommand;
}

export interface PushPayload {
  title: string;
  body: string;
  url: string;
  tag?: string;
  actions?: PushAction[];
}
