# Las palabras de Mariposa para quienes firman, en español de México.
# Cada clave de este archivo debe existir en todos los demás idiomas (una prueba lo verifica).

## Marco del sitio

site-name = Mariposa
skip-to-content = Ir al contenido principal
language-switcher = Idioma
footer-privacy = Tus datos se usan solo para esta petición y para escribirte si así nos lo pides. Nadie más puede enterarse de que firmaste.
footer-powered = Funciona con Mariposa, software libre para peticiones.

## Lista de campañas

index-title = Campañas abiertas para firmar
index-empty = Por ahora no hay campañas abiertas.
index-sign-link = Leer y firmar

## Página de la campaña

campaign-signatures = { $count ->
    [one] firma
   *[other] firmas
}
campaign-goal = Meta: { $goal }
campaign-count-channels = { $online } en línea y { $paper } en persona
history-title = Firmas confirmadas por día, últimos 30 días
history-summary = Firmas confirmadas en los últimos 30 días: { $count }. Los días se cuentan en hora UTC.
history-table = Las cifras, día por día
history-day = Día
history-confirmed = Confirmadas ese día
history-cumulative = Total hasta ese día
history-data = Descárgalas como datos abiertos:
campaign-progress-label = Firmas reunidas hasta ahora, rumbo a la meta
campaign-progress-text = { $count } de { $goal } firmas
campaign-closed = Esta petición ya no recibe firmas. Gracias a todas las personas que firmaron.
campaign-paused = La recogida de firmas está en pausa por un momento. Tu firma importa: vuelve pronto, por favor.

## Formulario para firmar

form-heading = Suma tu nombre
form-first-name = Nombre
form-last-name = Apellidos
form-email = Correo electrónico
form-email-hint = Te enviaremos por correo un enlace para confirmar tu firma.
form-country = País
form-postal-code = Código postal
form-optional = opcional
form-comment = Comentario
form-comment-hint = ¿Por qué firmas? Hasta 1000 caracteres.
form-opt-in = Quiero recibir por correo noticias de esta campaña y de otras relacionadas.
form-opt-in-by = Quiero que { $organisation } me mantenga al tanto por correo de esta campaña y de otras relacionadas.
form-opt-in-partner = …y también { $partner }, que recibirá para ello mi nombre y mi correo.
form-honeypot = Deja este campo vacío
form-submit = Firmar la petición
form-privacy = Tu firma cuenta una vez que la confirmes por correo. Nunca publicamos quién firmó.
form-errors-heading = Hay un problema
# Antes del título de la página y de cada mensaje junto a un campo, para lectores de pantalla.
error-prefix = Error:
form-stale = Por tu seguridad, vuelve a enviar el formulario: estuvo abierto mucho tiempo o no pudimos verificarlo. Guardamos lo que escribiste.
form-busy = Mucha gente está firmando en este momento y no pudimos guardar tu firma. Vuelve a presionar el botón en un momento; guardamos lo que escribiste.
form-unavailable = No pudimos guardar tu firma en este momento por un problema de nuestro lado. Vuelve a presionar el botón en unos minutos; guardamos lo que escribiste.
form-too-soon = ¡Qué rapidez! Revisa lo que escribiste y vuelve a presionar el botón para firmar.
form-spent-title = Vuelve a cargar la página
form-spent-body = Este formulario ya se usó para muchas firmas. Vuelve a cargar la página para obtener un formulario nuevo y firma otra vez.
form-spent-action = Cargar el formulario de nuevo

## Errores en los campos

error-name-empty = { $field ->
    [last_name] Escribe tus apellidos.
   *[first_name] Escribe tu nombre.
}
error-name-too-long = { $field ->
    [last_name] Tus apellidos son más largos de lo que podemos guardar; usa 100 caracteres como máximo.
   *[first_name] Tu nombre es más largo de lo que podemos guardar; usa 100 caracteres como máximo.
}
error-name-characters = { $field ->
    [last_name] Tus apellidos contienen caracteres que no podemos aceptar.
   *[first_name] Tu nombre contiene caracteres que no podemos aceptar.
}
error-name-web-address = { $field ->
    [last_name] Escribe tus apellidos sin direcciones web (enlaces como https://… o www.…).
   *[first_name] Escribe tu nombre sin direcciones web (enlaces como https://… o www.…).
}
error-name-formula = { $field ->
    [last_name] Tus apellidos no pueden empezar por =, +, - o @, ni tenerlos tras una coma o un punto y coma: una hoja de cálculo los tomaría por una fórmula. Escribe tus apellidos sin esos signos.
   *[first_name] Tu nombre no puede empezar por =, +, - o @, ni tenerlos tras una coma o un punto y coma: una hoja de cálculo lo tomaría por una fórmula. Escribe tu nombre sin esos signos.
}
error-email-empty = Escribe tu dirección de correo electrónico.
error-email-invalid = Esto no parece una dirección de correo electrónico. Por favor, revísala.
error-email-undeliverable = No podemos enviar correo a esta dirección, así que no podrías confirmar tu firma. Escribe la dirección de correo que usas a diario, como nombre@proveedor.org.
error-country-unknown = Elige tu país de la lista.
error-postal-code-missing = Escribe tu código postal.
error-postal-code-shape = Este código postal no parece correcto para el país que elegiste.
error-comment-too-long = Tu comentario es demasiado largo; acórtalo a 1000 caracteres como máximo.
error-comment-characters = Tu comentario contiene caracteres que no podemos aceptar.

## Después de firmar

check-email-title = Revisa tu correo
check-email-body = Te enviamos un correo. Ábrelo y presiona el botón que viene dentro para confirmar tu firma: solo cuenta una vez que la confirmas.
check-email-address = Lo enviamos a { $email }. Si esa dirección está mal, vuelve a firmar con la correcta.
check-email-spam = ¿Pasaron unos minutos y no te llega nada? Busca en tu carpeta de spam o correo no deseado, o vuelve a firmar con la misma dirección y te enviaremos el enlace otra vez.
check-email-share = Mientras tanto, comparte la petición: cada firma le da más fuerza a la exigencia.
back-to-campaign = Volver a la petición

## Confirmación

confirm-title = Confirma tu firma
confirm-body = Presiona el botón para confirmar tu firma en “{ $campaign }”.
confirm-button = Confirmar mi firma
confirm-expired-title = Este enlace ya venció
confirm-expired-body = Los enlaces de confirmación funcionan durante 30 días. Vuelve a firmar y te enviaremos uno nuevo.
confirm-expired-action = Firmar de nuevo
confirm-closed-title = Esta campaña ya cerró
confirm-closed-body = Tu firma no se pudo sumar porque la campaña dejó de recibir firmas antes de que la confirmaras. Gracias por querer participar.
confirm-closed-on = La campaña cerró el { $date }.
confirm-unknown-title = Este enlace no funciona
confirm-unknown-body = El enlace de confirmación está incompleto o no lo reconocemos. Copia el enlace completo del correo, o vuelve a firmar la petición.

## Agradecimiento

thanks-title = ¡Gracias!
thanks-body = Tu firma en “{ $campaign }” está confirmada y ya cuenta.
thanks-share = Ahora comparte la petición: cada firma le da más fuerza a la exigencia.
share-message = Ya firmé “{ $campaign }”. Suma tu nombre tú también:
share-email = Correo
share-copy-link = O copia este enlace:
share-copy-button = Copiar el enlace
share-copied = Enlace copiado
share-native = Compartir…

## Errores

not-found-title = No encontramos la página
not-found-body = No pudimos encontrar esta página. Tal vez cambió de lugar o la dirección tiene un error.
not-found-home = Ver las peticiones abiertas
error-title = Algo salió mal
error-body = No pudimos completar tu solicitud. Inténtalo de nuevo en un momento; no se perdió nada de lo que ya habías enviado.
bad-request-title = No pudimos leer esa solicitud
bad-request-body = El formulario que se envió estaba incompleto o era demasiado grande. Regresa e inténtalo de nuevo.
request-timeout-title = La conexión tardó demasiado
request-timeout-body = Lo que enviaste no llegó completo a tiempo. Revisa tu conexión, regresa e inténtalo de nuevo.
too-many-connections-title = Demasiadas conexiones
too-many-connections-body = Desde tu dirección hay demasiadas conexiones abiertas con este sitio. Espera unos segundos y vuelve a intentarlo.


## Demasiadas solicitudes

rate-limited-title = Espera un momento
rate-limited-body = Llegaron muchas solicitudes desde tu conexión en poco tiempo. Espera un minuto y vuelve a intentarlo; lo que ya enviaste está a salvo.

## Formulario incrustado y API para organizaciones aliadas

embed-frame-title = Formulario para firmar la petición
embed-blocked-link = Firma la petición en la página de la campaña
embed-full-petition = Lee la petición completa
share-image-alt = La mariposa de Mariposa, junto a la palabra Mariposa
api-busy = Mucha gente está firmando en este momento y no pudimos guardar la firma. Vuelve a enviarla en un momento.
api-unavailable = No pudimos guardar la firma por un problema en el servidor. Vuelve a enviarla en unos minutos.
api-malformed = No pudimos leer la solicitud: envía un solo objeto JSON con la forma del «record signature helper» de OSDI.
api-too-large = La solicitud es más grande de lo que puede ser una firma.
api-not-json = Envía la firma como JSON, con el encabezado Content-Type: application/json.
api-not-found = No hay ninguna campaña en esta dirección.
api-bad-interval = Pide interval=hour (por hora) o interval=day (por día).
api-origin-refused = Esta campaña no acepta firmas enviadas desde este sitio web.


## Dejar de recibir noticias

unsubscribe-title = Dejar de recibir noticias
unsubscribe-body = Presiona el botón y no volveremos a escribirte sobre esta campaña. Tu firma sigue contando.
unsubscribe-button = Darme de baja
unsubscribe-done-title = Ya no recibirás noticias
unsubscribe-done-body = No volveremos a escribirte sobre esta campaña. Tu firma sigue contando.

## Correos

email-greeting = Hola, { $name }:
email-confirm-subject = Confirma tu firma: { $campaign }
email-confirm-intro = Gracias por firmar “{ $campaign }”. Tu firma solo cuenta una vez que la confirmes:
email-confirm-button = Confirmar mi firma
email-confirm-link-help = Si el botón no funciona, copia y pega este enlace en tu navegador:
email-confirm-expiry = El enlace funciona durante 30 días.
email-confirm-ignore = Si tú no firmaste, simplemente ignora este correo: nada se cuenta sin confirmación.
email-reminder-subject = Tu firma todavía no cuenta: { $campaign }
email-reminder-intro = Firmaste “{ $campaign }”, pero aún no confirmas tu firma, así que todavía no cuenta. Basta con un clic:
email-reminder-once = Es el único recordatorio que te enviamos.
email-already-subject = Ya habías firmado: { $campaign }
email-already-body = Alguien, probablemente tú, intentó firmar de nuevo “{ $campaign }” con esta dirección de correo. Tu firma ya está confirmada y cuenta una sola vez; no tienes que hacer nada más.
email-already-share = Si quieres ayudar todavía más, comparte la petición:
email-welcome-subject = Gracias por firmar: { $campaign }
email-welcome-body = Firmaste “{ $campaign }” en persona y tu firma ya cuenta. Pediste recibir noticias de esta campaña: te escribiremos cuando haya novedades.
email-signoff = Gracias por acompañarnos.
email-unsubscribe = ¿Ya no quieres recibir noticias de esta campaña? Date de baja con un clic:

email-update-campaign = Más sobre “{ $campaign }”:
email-update-why = Recibes este correo porque firmaste “{ $campaign }” y pediste recibir noticias de la campaña.
campaign-target-response = La respuesta a la petición
campaign-updates = Noticias de la campaña
campaign-update-published = Publicado el

## El quiosco: una tableta que pasa de mano en mano en un evento
kiosk-form-heading = Firma aquí
kiosk-email-hint = Solo si quieres noticias: no te enviaremos nada más.
kiosk-consent = Tu firma cuenta en cuanto nos llega: hay una persona voluntaria aquí, así que no hace falta confirmar por correo. Nunca publicamos quién firmó. Sin conexión, este dispositivo guarda cada firma sellada (solo el servidor de la campaña puede abrirla) hasta enviarla, y después la borra.
kiosk-thanks-title = ¡Gracias por firmar!
kiosk-thanks-body = Tu firma ya cuenta. Por favor, pasa el dispositivo a la siguiente persona.
kiosk-thanks-queued = Tu firma quedó guardada en este dispositivo, sellada. Contará cuando la tableta vuelva a tener conexión. Por favor, pasa el dispositivo a la siguiente persona.
kiosk-next = Siguiente persona
kiosk-waiting = Firmas pendientes de envío:
kiosk-all-sent = Todas las firmas están enviadas.
kiosk-offline = Sin conexión: las firmas se guardan selladas y seguras, y se enviarán cuando vuelva la conexión.
kiosk-refused = Este quiosco está cerrado. Las firmas que aún guardaba no se contaron; el equipo de la campaña puede ver cuántas eran.
kiosk-closed-title = Este quiosco está cerrado
kiosk-closed-body = Este quiosco ya no recoge firmas: su enlace fue retirado o caducó. Pide un enlace nuevo al equipo de la campaña.
kiosk-invalid = Esta firma no se pudo contar: un campo no estaba rellenado como pide el formulario.

## A partner's own page, behind the link staff gave it
partner-intro = Las firmas que trajo tu organización, contadas por día una vez confirmadas, el código que pone el formulario en tu sitio y las personas que aceptaron recibir noticias tuyas. Guarda este enlace para tu equipo: es tu llave a esta página.
partner-nothing-yet = No hay ninguna campaña abierta, y todavía no ha llegado ninguna firma con tu código.
partner-totals = Firmas confirmadas que trajiste.
partner-online = En línea
partner-in-person = En persona
partner-day = Día
partner-export = Descargar a quienes aceptaron recibir noticias tuyas (CSV)
partner-export-hint = Solo incluye a quienes marcaron la casilla de tu organización; el resto de las personas que trajiste aparece solo en las cifras de arriba.
partner-snippet-script = Código para tu página (script)
partner-snippet-iframe = Código para tu página (iframe, sin script)
