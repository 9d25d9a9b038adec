/** `GET /hubshare/api/status`, as the agent answers it. */
export interface AgentStatus {
  version: string;
  rootDir: string;
  service: {
    url: string | null;
    reachable: boolean;
    user: { name: string; admin: boolean } | null;
    problem: { code: string; message: string } | null;
  };
}

/** What the panel shows about the connection, derived from one status answer (or its failure). */
export type ConnectionState =
  | { kind: 'checking' }
  | { kind: 'agent-unavailable'; message: string }
  | { kind: 'service-unreachable'; status: AgentStatus; message: string }
  | { kind: 'signed-out'; status: AgentStatus; message: string }
  | { kind: 'connected'; status: AgentStatus; userName: string };

/** Maps an agent status to the state the panel shows. */
export function connectionStateOf(status: AgentStatus): ConnectionState {
  const { service } = status;
  if (service.user) {
    return { kind: 'connected', status, userName: service.user.name };
  }
  const message = service.problem?.message ?? '';
  return service.reachable ? { kind: 'signed-out', status, message } : { kind: 'service-unreachable', status, message };
}
