/**
 * onnxruntime's error text, trimmed to what a caller can act on. Some of its errors start with
 * the C++ source location and function signature that raised them
 * ("/onnxruntime_src/...h:46 void onnxruntime::Fn(const std::...&, int) Opset 99 is ..."),
 * which only adds noise to a gRPC status message.
 */
export function conciseOrtMessage(error: unknown): string {
  const message = (error instanceof Error ? error.message : String(error)).trim();
  const located = /^\S+:\d+ (?:[\w:<>*&]+ )?[\w:~]+\([^)]*\) (.*)$/s.exec(message);
  return (located?.[1] ?? message).trim();
}
