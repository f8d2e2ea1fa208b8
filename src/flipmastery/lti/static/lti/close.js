// Dynamic registration is done: tell the LMS's page that opened us, so it closes this window or frame.
(window.opener || window.parent).postMessage({ subject: "org.imsglobal.lti.close" }, "*");
