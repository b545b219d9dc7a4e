# Las palabras propias de la organización en torno a las de Mariposa: su aviso de privacidad,
# su página de ajustes, el pie de sus correos y su carta de entrega. En español de México.

organisation-data-controller = { $holder } es responsable de tus datos.
organisation-privacy-link = Lee el aviso de privacidad completo
organisation-error-too-long = Usa como máximo { $max } caracteres.
organisation-error-control = Quita de este campo los tabuladores y otros caracteres de control.
organisation-error-reply-to = Escribe un correo electrónico, como contacto@example.org, o deja el campo vacío.
organisation-error-privacy-url = Escribe una dirección web que empiece con https://, o deja el campo vacío.
organisation-error-colour-unreadable = Escribe el color como #rrggbb, por ejemplo #1a5c3a.
organisation-error-colour-contrast = Este color tiene un contraste de { $ratio }:1 con el texto blanco encima y la página alrededor; WCAG AA pide al menos 4.5:1. Elige un color más oscuro.

admin-nav-organisation = Organización
admin-organisation-title = Tu organización
admin-organisation-intro = Quienes apoyan ven estos ajustes en cada página, cada correo y cada documento: el nombre en los títulos y pies de página, el remitente de los correos y el aviso de privacidad junto a cada formulario de firma.
admin-organisation-who = Por ahora cualquier persona del equipo con sesión iniciada puede cambiar estos ajustes; los roles del equipo los limitarán a quienes administran. Cada cambio queda en el registro de auditoría.
admin-organisation-saved = Guardado. Las páginas y los correos muestran los nuevos ajustes en unos segundos.
admin-organisation-name = Nombre
admin-organisation-short-name = Nombre corto
admin-organisation-privacy-notice = Aviso de privacidad junto al formulario
admin-organisation-privacy-notice-hint = Unas líneas: para qué se usan los datos y por cuánto tiempo. Enlaza abajo el aviso completo.
admin-organisation-contact = Correos y correo postal
admin-organisation-sender-name = Nombre del remitente
admin-organisation-sender-name-hint = El nombre con el que llegan los correos; si está vacío, el nombre corto.
admin-organisation-reply-to = Dirección de respuesta
admin-organisation-reply-to-hint = A dónde llegan las respuestas de quienes apoyan.
admin-organisation-postal-address = Domicilio
admin-organisation-postal-address-hint = Se imprime al pie de cada correo y en la carta de entrega, tal como lo escribas, línea por línea.
admin-organisation-privacy = Privacidad
admin-organisation-data-controller = Responsable de los datos
admin-organisation-data-controller-hint = El nombre legal de quien es responsable del tratamiento, como pide la ley de protección de datos.
admin-organisation-privacy-url = Dirección del aviso de privacidad completo
admin-organisation-look = Color
admin-organisation-brand-colour = Color de la organización
admin-organisation-brand-colour-hint = Como #rrggbb. Rellena los botones bajo texto blanco y colorea los enlaces, así que debe ser lo bastante oscuro para WCAG AA (4.5:1).
admin-organisation-save = Guardar los ajustes

email-footer-privacy = Aviso de privacidad

campaign-to = Para: { $target }
admin-campaign-demand = Petición a quien la recibe
admin-campaign-demand-hint = Lo que la petición pide, en los términos de quien la recibe: la carta de entrega lo lleva, aparte del resumen escrito para quienes firman.

doc-letter-signers = Las personas firmantes
doc-letter-salutation = Presente.
doc-letter-body = Con esta carta, { $organisation } le entrega las firmas de { $count } personas que respaldan la petición «{ $title }».
doc-letter-collected = Las firmas se reunieron del { $from } al { $to }: { $online } en línea, cada una confirmada por correo, y { $in_person } en papel y en persona.
doc-letter-follows = Su petición sigue a esta carta, y después la lista de firmantes, con una suma de verificación que permite comprobar que la lista no se alteró.
doc-letter-closing = Atentamente,
doc-undrawable = Nombres con letras que ninguna tipografía de este documento puede dibujar: { $count }. En la lista aparecen como recuadros, y en el archivo de la lista tal como se escribieron.
doc-sheet-event-line = Evento: ______________________________   Fecha: ____________________
share-picture-alt = «{ $title }», una petición de { $organisation }
