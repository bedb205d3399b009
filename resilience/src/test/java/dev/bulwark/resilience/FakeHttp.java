package dev.bulwark.resilience;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Just enough of a servlet request and response to drive a servlet's {@code service} method in a unit test. */
public final class FakeHttp {

    private FakeHttp() {
    }

    /** A request with no body. */
    public static HttpServletRequest request(String method, String pathInfo, Map<String, List<String>> parameters) {
        return (HttpServletRequest) Proxy.newProxyInstance(FakeHttp.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (proxy, m, args) -> switch (m.getName()) {
                    case "getMethod" -> method;
                    case "getPathInfo" -> pathInfo;
                    case "getProtocol" -> "HTTP/1.1";
                    case "getParameterNames" -> Collections.enumeration(parameters.keySet());
                    case "getParameterValues" -> parameters.get((String) args[0]).toArray(String[]::new);
                    case "getInputStream" -> new EmptyInput();
                    default -> defaultFor(m.getReturnType());
                });
    }

    /** Records what a servlet writes. */
    public static final class Response {
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();
        private final Map<String, String> headers = new HashMap<>();
        private int status = 200;
        private String contentType;

        public HttpServletResponse servletResponse() {
            return (HttpServletResponse) Proxy.newProxyInstance(FakeHttp.class.getClassLoader(),
                    new Class<?>[] {HttpServletResponse.class}, (proxy, m, args) -> {
                        switch (m.getName()) {
                            case "setStatus" -> status = (int) args[0];
                            case "getStatus" -> {
                                return status;
                            }
                            case "setContentType" -> contentType = (String) args[0];
                            case "setHeader" -> headers.put((String) args[0], (String) args[1]);
                            case "getOutputStream" -> {
                                return new Output(body);
                            }
                            case "getWriter" -> {
                                return new PrintWriter(new OutputStreamWriter(body, StandardCharsets.UTF_8), true);
                            }
                            default -> {
                                return defaultFor(m.getReturnType());
                            }
                        }
                        return null;
                    });
        }

        public int status() {
            return status;
        }

        public String contentType() {
            return contentType;
        }

        public String header(String name) {
            return headers.get(name);
        }

        public String body() {
            return body.toString(StandardCharsets.UTF_8);
        }
    }

    private static Object defaultFor(Class<?> type) {
        if (type == boolean.class) {
            return false;
        }
        if (type == long.class) {
            return 0L;
        }
        return type == int.class ? 0 : null;
    }

    private static final class EmptyInput extends ServletInputStream {
        @Override
        public boolean isFinished() {
            return true;
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
        }

        @Override
        public int read() {
            return -1;
        }
    }

    private static final class Output extends ServletOutputStream {
        private final ByteArrayOutputStream target;

        Output(ByteArrayOutputStream target) {
            this.target = target;
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setWriteListener(WriteListener listener) {
        }

        @Override
        public void write(int b) {
            target.write(b);
        }
    }
}
