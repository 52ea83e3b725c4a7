import { createClient, type Client } from '../../../electron/api/client.js';
import {
  desktopBridge,
  ipcTransport,
  type ClipSortBridge,
} from '../../../electron/api/transports/ipcTransport.js';
import {
  createSocketTransport,
  pageSocketUrl,
  type SocketConstructor,
} from '../../../electron/api/transports/socketTransport.js';

export type ConnectionState = 'connecting' | 'online' | 'offline';

/**
 * The client to the engine, and whether it is reachable now. In the desktop app that is the preload's bridge
 * (always there while the window is); in a browser, the page's own server (`/ws` on the same origin, authorised
 * by the token cookie), whose transport reconnects by itself: this only watches the sockets it opens.
 */
export class Connection {
  state = $state<ConnectionState>('connecting');
  readonly client: Client;

  constructor(
    location: { protocol: string; host: string } = window.location,
    bridge: ClipSortBridge | undefined = desktopBridge(),
  ) {
    if (bridge) {
      this.client = createClient(ipcTransport(bridge));
      this.state = 'online';
      return;
    }
    const BrowserSocket = window.WebSocket;
    const watch = (socket: WebSocket) => {
      socket.addEventListener('open', () => (this.state = 'online'));
      socket.addEventListener('close', () => (this.state = 'offline'));
    };
    // A WebSocket that reports its own opening and closing, handed to the transport in place of the browser's.
    const Watched = class extends BrowserSocket {
      constructor(url: string) {
        super(url);
        watch(this);
      }
    } as unknown as SocketConstructor;
    this.client = createClient(createSocketTransport({ url: pageSocketUrl(location), WebSocket: Watched }));
  }
}
