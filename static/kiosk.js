// The kiosk: each signature is sealed to the server's public key (ECDH P-256, HKDF-SHA256,
// AES-256-GCM) and queued in IndexedDB, then sent as soon as the server answers. The
// device never stores a readable name, and a retried upload carries the same key, so it
// counts once. Without this script (or WebCrypto), the form posts as a plain form.
(function () {
  'use strict';

  // The thank-you page after a plain form post returns to the form by itself too.
  var back = document.getElementById('kiosk-return');
  if (back) {
    window.setTimeout(function () { location.replace(back.href); }, Number(back.dataset.seconds) * 1000);
  }
  var form = document.getElementById('kiosk-form');
  if (!form || !window.crypto || !window.crypto.subtle || !window.indexedDB || !window.fetch) {
    return;
  }
  var data = form.dataset;
  var formPanel = document.getElementById('kiosk-form-panel');
  var thanks = document.getElementById('kiosk-thanks');
  var thanksHeading = document.getElementById('kiosk-thanks-heading');
  var thanksBody = document.getElementById('kiosk-thanks-body');
  var next = document.getElementById('kiosk-next');
  var queueStatus = document.getElementById('kiosk-queue');
  var encoder = new TextEncoder();
  var STORE = 'queue';
  var sending = false;
  var sentThisSession = 0;
  var refused = false;
  var offline = false;
  var backToForm = null;
  var lastReported = -1;
  var invalidShown = false;

  if ('serviceWorker' in navigator) {
    navigator.serviceWorker.register('/kiosk/service-worker.js', { scope: '/kiosk/' })
      .catch(function () { /* the kiosk still works online without it */ });
  }
  keepForOffline();

  function keepForOffline() {
    if (!window.caches) {
      return;
    }
    var urls = [location.href];
    document.querySelectorAll('link[rel="stylesheet"], link[rel="icon"], script[src]')
      .forEach(function (element) { urls.push(element.href || element.src); });
    caches.open('mariposa-kiosk-v1')
      .then(function (cache) { return cache.addAll(urls); })
      .catch(function () { /* offline already: what is cached stays */ });
  }

  function base64url(bytes) {
    var text = '';
    new Uint8Array(bytes).forEach(function (b) { text += String.fromCharCode(b); });
    return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }

  function unbase64url(text) {
    var binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) {
      bytes[i] = binary.charCodeAt(i);
    }
    return bytes;
  }

  function seal(entry, key) {
    var subtle = window.crypto.subtle;
    var curve = { name: 'ECDH', namedCurve: 'P-256' };
    return Promise.all([
      subtle.importKey('raw', unbase64url(data.publicKey), curve, false, []),
      subtle.generateKey(curve, false, ['deriveBits'])
    ]).then(function (keys) {
      var server = keys[0];
      var ephemeral = keys[1];
      return subtle.deriveBits({ name: 'ECDH', public: server }, ephemeral.privateKey, 256)
        .then(function (shared) { return subtle.importKey('raw', shared, 'HKDF', false, ['deriveKey']); })
        .then(function (material) {
          return subtle.deriveKey(
            { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: encoder.encode('mariposa kiosk seal v1') },
            material, { name: 'AES-GCM', length: 256 }, false, ['encrypt']);
        })
        .then(function (aes) {
          var iv = window.crypto.getRandomValues(new Uint8Array(12));
          return Promise.all([
            subtle.encrypt({ name: 'AES-GCM', iv: iv, additionalData: encoder.encode('kiosk ' + data.kiosk + ' ' + key) }, aes,
              encoder.encode(JSON.stringify(entry))),
            subtle.exportKey('raw', ephemeral.publicKey)
          ]).then(function (parts) {
            return { key: key, ephemeral: base64url(parts[1]), iv: base64url(iv), ciphertext: base64url(parts[0]) };
          });
        });
    });
  }

  function openQueue() {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open('mariposa-kiosk', 1);
      request.onupgradeneeded = function () {
        request.result.createObjectStore(STORE, { keyPath: 'key' });
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function inQueue(mode, work) {
    return openQueue().then(function (db) {
      return new Promise(function (resolve, reject) {
        var transaction = db.transaction(STORE, mode);
        var result = work(transaction.objectStore(STORE));
        transaction.oncomplete = function () { db.close(); resolve(result && result.result); };
        transaction.onerror = function () { db.close(); reject(transaction.error); };
      });
    });
  }

  // Only this kiosk's signatures: one device may have served as several kiosks.
  function queued() {
    return inQueue('readonly', function (store) { return store.getAll(); })
      .then(function (all) { return (all || []).filter(function (item) { return item.upload === data.upload; }); });
  }

  function showQueue(waiting) {
    var text = '';
    if (refused) {
      text = data.refused;
    } else if (invalidShown) {
      text = data.invalid;
    } else if (waiting > 0) {
      text = data.waiting + ' ' + waiting + (offline ? ' · ' + data.offline : '');
    } else if (sentThisSession > 0) {
      text = data.allSent;
    }
    queueStatus.textContent = text;
    queueStatus.dataset.waiting = String(waiting);
  }

  function report(waiting) {
    fetch(data.status, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ waiting: waiting })
    }).catch(function () { /* reported next time */ });
  }

  function forget(key) {
    return inQueue('readwrite', function (store) { return store.delete(key); });
  }

  // Sends one queued signature. The answer is 'sent', 'later' (the server is away or busy:
  // it stays queued) or 'done' (refused, invalid or unreadable: the server keeps its
  // answer under the same key, so the device forgets it), with the server's body.
  function upload(item, signal) {
    return fetch(data.upload, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(item.sealed),
      signal: signal
    }).then(function (response) {
      offline = false;
      if (response.status === 410) {
        refused = true;
      }
      var outcome = response.ok ? 'sent'
        : (response.status >= 400 && response.status < 500 && response.status !== 429) ? 'done'
          : 'later';
      if (outcome === 'later') {
        return { outcome: outcome, body: {} };
      }
      if (outcome === 'sent') {
        sentThisSession += 1;
      }
      return forget(item.key).then(function () {
        return response.json().catch(function () { return {}; });
      }).then(function (body) {
        return { outcome: outcome, body: body };
      });
    }, function () {
      offline = true;
      return { outcome: 'later', body: {} };
    });
  }

  function afterSending() {
    return queued().then(function (left) {
      showQueue(left.length);
      if (!offline && left.length !== lastReported) {
        lastReported = left.length;
        report(left.length);
      }
    });
  }

  // Sends what is queued, oldest first, until the queue is empty or the server is away.
  function send() {
    if (sending) {
      return Promise.resolve();
    }
    sending = true;
    return queued().then(function (items) {
      items.sort(function (a, b) { return a.queuedAt - b.queuedAt; });
      var chain = Promise.resolve(true);
      items.forEach(function (item) {
        chain = chain.then(function (goOn) {
          return goOn && upload(item).then(function (result) { return result.outcome !== 'later'; });
        });
      });
      return chain;
    }).then(afterSending).then(function () {
      sending = false;
    }, function () {
      sending = false;
    });
  }

  // While online, the signature just taken is sent at once, so that a field the server
  // will not take is shown to the signer still at the device, as without the script.
  function sendNow(item) {
    if (sending || !window.AbortController) {
      return Promise.resolve({ outcome: 'later', body: {} });
    }
    sending = true;
    var abort = new AbortController();
    var timer = window.setTimeout(function () { abort.abort(); }, 4000);
    return upload(item, abort.signal).then(function (result) {
      window.clearTimeout(timer);
      sending = false;
      return result;
    });
  }

  function showErrors(entry, errors) {
    clearErrors();
    ['first_name', 'last_name', 'email', 'country', 'postal_code'].forEach(function (name) {
      form.elements.namedItem(name).value = entry[name];
    });
    form.elements.namedItem('email_opt_in').checked = entry.email_opt_in;
    var first = null;
    Object.keys(errors).forEach(function (name) {
      var input = form.elements.namedItem(name);
      if (!input) {
        return;
      }
      var message = document.createElement('p');
      message.className = 'error';
      message.id = name + '-error';
      var prefix = document.createElement('span');
      prefix.className = 'visually-hidden';
      prefix.textContent = data.errorPrefix;
      message.appendChild(prefix);
      message.appendChild(document.createTextNode(' ' + errors[name]));
      input.parentNode.insertBefore(message, input);
      input.setAttribute('aria-invalid', 'true');
      input.closest('.field').classList.add('has-error');
      var described = (input.getAttribute('aria-describedby') || '').split(' ')
        .filter(function (id) { return id && id !== message.id; });
      described.push(message.id);
      input.setAttribute('aria-describedby', described.join(' '));
      first = first || input;
    });
    invalidShown = true;
    if (first) {
      first.focus();
    }
  }

  function clearForm() {
    form.querySelectorAll('input[type="text"], input[type="email"]').forEach(function (input) {
      input.value = '';
      input.removeAttribute('value');
    });
    clearErrors();
    var country = form.elements.namedItem('country');
    country.value = data.defaultCountry;
    form.elements.namedItem('email_opt_in').checked = false;
  }

  function clearErrors() {
    form.querySelectorAll('[aria-invalid]').forEach(function (input) {
      input.removeAttribute('aria-invalid');
      var described = (input.getAttribute('aria-describedby') || '').split(' ')
        .filter(function (id) { return id && id !== input.id + '-error'; });
      if (described.length) {
        input.setAttribute('aria-describedby', described.join(' '));
      } else {
        input.removeAttribute('aria-describedby');
      }
    });
    form.querySelectorAll('.error').forEach(function (error) { error.remove(); });
    form.querySelectorAll('.has-error').forEach(function (field) { field.classList.remove('has-error'); });
  }

  function showForm() {
    window.clearTimeout(backToForm);
    thanks.hidden = true;
    formPanel.hidden = false;
    document.body.classList.remove('kiosk-thanked');
    form.elements.namedItem('first_name').focus();
  }

  // `queued`: the signature is kept on the device, sealed, and counts once it is sent.
  function showThanks(queued) {
    thanksBody.textContent = queued ? data.thanksQueued : data.thanksCounted;
    formPanel.hidden = true;
    thanks.hidden = false;
    document.body.classList.add('kiosk-thanked');
    thanksHeading.focus();
    backToForm = window.setTimeout(showForm, Number(data.thanksSeconds) * 1000);
  }

  function randomKey() {
    return base64url(window.crypto.getRandomValues(new Uint8Array(18)));
  }

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var field = function (name) { return form.elements.namedItem(name).value; };
    if (!form.checkValidity()) {
      // The page's own error state, in its language, as the campaign form shows it; the
      // browser's popup speaks the browser's language and vanishes.
      var problems = {};
      ['first_name', 'last_name', 'country', 'postal_code', 'email'].forEach(function (name) {
        var input = form.elements.namedItem(name);
        if (!input.validity.valid) {
          problems[name] = input.getAttribute(input.validity.valueMissing ? 'data-missing' : 'data-malformed');
        }
      });
      showErrors({
        first_name: field('first_name'),
        last_name: field('last_name'),
        email: field('email'),
        country: field('country'),
        postal_code: field('postal_code'),
        email_opt_in: form.elements.namedItem('email_opt_in').checked
      }, problems);
      return;
    }
    var entry = {
      first_name: field('first_name'),
      last_name: field('last_name'),
      email: field('email'),
      country: field('country'),
      postal_code: field('postal_code'),
      email_opt_in: form.elements.namedItem('email_opt_in').checked,
      lang: field('lang'),
      signed_at: Date.now()
    };
    clearForm();
    invalidShown = false;
    var item = { key: randomKey(), upload: data.upload, queuedAt: Date.now() };
    seal(entry, item.key).then(function (sealed) {
      item.sealed = sealed;
      return inQueue('readwrite', function (store) { return store.put(item); });
    }).then(function () {
      sendNow(item).then(function (result) {
        if (result.outcome === 'done' && result.body.status === 'invalid' && result.body.errors) {
          showErrors(entry, result.body.errors);
        } else {
          showThanks(result.outcome === 'later');
        }
        entry = null;
        return afterSending().then(send);
      });
    }, function () {
      // Nothing could be kept on the device: the signature goes as a plain form instead.
      ['first_name', 'last_name', 'email', 'country', 'postal_code'].forEach(function (name) {
        form.elements.namedItem(name).value = entry[name];
      });
      form.elements.namedItem('email_opt_in').checked = entry.email_opt_in;
      form.submit();
    });
  });

  next.addEventListener('click', showForm);
  window.addEventListener('online', send);
  window.setInterval(send, 5000);
  send();
}());
