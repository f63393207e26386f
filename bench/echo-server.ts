/**
 * A bare grpc-js server with no hetsched in it, for the `overhead` suite's transport floor. Its
 * one method takes a request whose first 4 bytes (little-endian) give the size of the response
 * to send back, so that a client can time messages exactly as large as a real Infer call's.
 * Prints `port N` when listening.
 */
import { Server, ServerCredentials } from '@grpc/grpc-js';
import { ECHO_METHOD } from './echo-method.js';

const server = new Server({ 'grpc.max_receive_message_length': -1, 'grpc.max_send_message_length': -1 });
server.addService(
  { Echo: ECHO_METHOD },
  {
    Echo: (call: { request: Buffer }, callback: (error: null, response: Buffer) => void) =>
      callback(null, Buffer.alloc(call.request.readUInt32LE(0))),
  },
);
server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, port) => {
  if (error) throw error;
  process.stdout.write(`port ${port}\n`);
});
