/*
 * Callama embed — host-side script. Plain ES2017, no build step. Exposes window.Callama.
 *
 *   <div id="chat"></div>
 *   <script src="https://YOUR-HOST/embed.js"></script>
 *   <script>
 *     const chat = Callama.mount(document.getElementById('chat'), { src: 'https://YOUR-HOST/embed.html', model: '…' });
 *     chat.register('get_stock', { description: 'Price of a stock', parameters: { type: 'object',
 *       properties: { symbol: { type: 'string' } }, required: ['symbol'] } }, async ({ symbol }) => ({ symbol, price: 42 }));
 *   </script>
 *
 * Protocol (the widget's side is src/embed/protocol.ts): the widget posts `callama:ready` when it
 * listens; registrations wait for it. Every message is checked: it must come from the iframe's window
 * and from the origin of `src`. Messages are posted to that origin only, never to '*'.
 */
(function () {
  'use strict';
  if (window.Callama) return;

  var VERSION = 1;

  function toErrorText(err) {
    if (err && typeof err.message === 'string') return err.message;
    try {
      return String(err);
    } catch (_err) {
      return 'The function failed.';
    }
  }

  function toSpec(name, schema) {
    var s = schema || {};
    var spec = { name: name, parameters: s.parameters || { type: 'object', properties: {} } };
    if (typeof s.description === 'string') spec.description = s.description;
    // `confirm: true`: the widget asks the visitor before each call. Sent as given, so the widget can
    // refuse a value that is not a boolean instead of it being dropped here.
    if (s.confirm !== undefined) spec.confirm = s.confirm;
    return spec;
  }

  // Permissions the widget's built-in functions need inside a cross-origin frame.
  function defaultAllow(functions) {
    var ids = Array.isArray(functions) ? functions : String(functions || '').split(',');
    var allow = ['clipboard-write'];
    if (
      ids.some(function (id) {
        return String(id).trim() === 'get_location';
      })
    )
      allow.push('geolocation');
    return allow.join('; ');
  }

  function widgetUrl(options) {
    var url = new URL(options.src, location.href);
    var p = url.searchParams;
    var set = function (key, value) {
      if (value !== undefined && value !== null && value !== '') p.set(key, String(value));
    };
    set('model', options.model);
    set('format', options.format);
    set('functions', Array.isArray(options.functions) ? options.functions.join(',') : options.functions);
    set('theme', options.theme);
    set('welcome', options.welcome);
    set('callTimeoutMs', options.callTimeoutMs);
    if (options.autoload !== undefined) set('autoload', options.autoload ? 'true' : 'false');
    // This page's own origin is always allowed: it is the one registering functions.
    var origins = [location.origin].concat(options.allowedOrigins || []);
    set(
      'allowedOrigins',
      origins
        .filter(function (o, i) {
          return origins.indexOf(o) === i;
        })
        .join(','),
    );
    return url;
  }

  /**
   * Creates the widget's iframe inside `element`.
   * @returns {{register: Function, unregister: Function, destroy: Function, on: Function, iframe: HTMLIFrameElement}}
   */
  function mount(element, options) {
    if (!element || !options || !options.src)
      throw new TypeError('Callama.mount(element, { src, … }) needs an element and the URL of embed.html.');
    var url = widgetUrl(options);
    var widgetOrigin = url.origin;
    var iframe = document.createElement('iframe');
    iframe.src = url.href;
    iframe.title = options.title || 'Callama chat assistant';
    iframe.allow = options.allow || defaultAllow(options.functions);
    iframe.style.width = '100%';
    iframe.style.height = typeof options.height === 'number' ? options.height + 'px' : options.height || '480px';
    iframe.style.border = '0';
    iframe.style.display = 'block';

    // Maps without a prototype: a name like "constructor" or "__proto__" must not find Object's members.
    var functions = new Map(); // name → { spec, fn }
    var waiting = new Map(); // name → [{ resolve, reject }] until the widget confirms the registration
    var listeners = Object.create(null); // event → [cb]
    // Call ids already run: a call delivered twice (a replayed message) must not run the function twice.
    var calledIds = Object.create(null);
    var ready = false;
    var destroyed = false;

    function emit(event, detail) {
      (listeners[event] || []).slice().forEach(function (cb) {
        try {
          cb(detail);
        } catch (err) {
          console.error('[callama] listener for "' + event + '" failed:', err);
        }
      });
    }

    function post(message) {
      if (iframe.contentWindow) iframe.contentWindow.postMessage(message, widgetOrigin);
    }

    function sendRegistrations(names) {
      var specs = names.map(function (n) {
        return functions.get(n).spec;
      });
      // The widget takes at most 64 functions per message (MAX_FUNCTIONS_PER_MESSAGE).
      for (var i = 0; i < specs.length; i += 64) post({ type: 'callama:register', functions: specs.slice(i, i + 64) });
    }

    function settle(name, error) {
      (waiting.get(name) || []).forEach(function (w) {
        if (error) w.reject(error);
        else w.resolve(name);
      });
      waiting.delete(name);
    }

    function runCall(message) {
      var entry = functions.get(message.name);
      var answer = function (result) {
        if (destroyed) return;
        try {
          post(Object.assign({ type: 'callama:result', id: message.id }, result));
        } catch (err) {
          // The value could not be cloned (a function, a DOM node…): say so instead of staying silent.
          post({ type: 'callama:result', id: message.id, error: 'The result could not be sent: ' + toErrorText(err) });
        }
      };
      emit('call', { id: message.id, name: message.name, arguments: message.arguments });
      if (!entry) {
        answer({ error: 'No function named ' + message.name + ' on the host page.' });
        return;
      }
      Promise.resolve()
        .then(function () {
          return entry.fn(message.arguments || {});
        })
        .then(
          function (value) {
            answer({ value: value === undefined ? null : value });
            emit('result', { id: message.id, name: message.name, value: value });
          },
          function (err) {
            answer({ error: toErrorText(err) });
            emit('result', { id: message.id, name: message.name, error: toErrorText(err) });
          },
        );
    }

    function onMessage(event) {
      if (event.source !== iframe.contentWindow || event.origin !== widgetOrigin) return;
      var data = event.data;
      if (!data || typeof data.type !== 'string') return;
      if (data.type === 'callama:ready') {
        ready = true;
        emit('ready', { version: data.version });
        sendRegistrations(Array.from(functions.keys()));
      } else if (data.type === 'callama:registered') {
        (data.accepted || []).forEach(function (name) {
          settle(name, null);
        });
        (data.refused || []).forEach(function (r) {
          var err = new Error('Callama refused the function ' + r.name + ': ' + (r.reasons || []).join(' '));
          err.name = 'CallamaRegistrationError';
          err.reasons = r.reasons || [];
          functions.delete(r.name);
          settle(r.name, err);
        });
        emit('registered', { accepted: data.accepted || [], refused: data.refused || [] });
      } else if (data.type === 'callama:call' && typeof data.id === 'string') {
        if (calledIds[data.id]) return;
        calledIds[data.id] = true;
        runCall(data);
      }
    }

    window.addEventListener('message', onMessage);
    element.appendChild(iframe);

    return {
      iframe: iframe,
      version: VERSION,
      /**
       * Lets the model call `fn(args)` (sync or async; its return value must be structured-cloneable).
       * `schema` is { description, parameters, confirm } or a whole function spec (`confirm: true`: the
       * visitor is asked before each call). Resolves with the name once
       * the widget accepted it; rejects (name CallamaRegistrationError, `reasons`) if it refused it.
       */
      register: function (name, schema, fn) {
        if (typeof fn !== 'function') throw new TypeError('register(name, schema, fn): fn must be a function.');
        functions.set(name, { spec: toSpec(name, schema), fn: fn });
        var confirmed = new Promise(function (resolve, reject) {
          if (!waiting.has(name)) waiting.set(name, []);
          waiting.get(name).push({ resolve: resolve, reject: reject });
        });
        if (ready) sendRegistrations([name]);
        return confirmed;
      },
      unregister: function (name) {
        functions.delete(name);
        if (ready) post({ type: 'callama:unregister', names: [name] });
      },
      on: function (event, cb) {
        (listeners[event] = listeners[event] || []).push(cb);
        return function off() {
          listeners[event] = (listeners[event] || []).filter(function (x) {
            return x !== cb;
          });
        };
      },
      destroy: function () {
        destroyed = true;
        window.removeEventListener('message', onMessage);
        if (iframe.parentNode) iframe.parentNode.removeChild(iframe);
        functions = Object.create(null);
        listeners = Object.create(null);
      },
    };
  }

  window.Callama = { mount: mount, version: VERSION };
})();
