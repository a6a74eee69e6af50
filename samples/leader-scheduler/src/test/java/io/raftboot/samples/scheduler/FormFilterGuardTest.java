package io.raftboot.samples.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.raftboot.samples.scheduler.security.SingleNodeProperties;
import io.raftboot.spring.leadership.LeadershipService;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * With Spring's FormContentFilter back on (the sample turns it off), a form-encoded PUT body is
 * eaten before the controller sees it: the write is refused with 415, and the stored value is
 * not overwritten with an empty one.
 */
@SpringBootTest(
        classes = LeaderSchedulerApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.mvc.formcontent.filter.enabled=true")
@DirtiesContext
class FormFilterGuardTest {

    @DynamicPropertySource
    static void singleNode(DynamicPropertyRegistry registry) {
        SingleNodeProperties.properties().forEach((key, value) -> registry.add(key, () -> value));
    }

    @LocalServerPort
    int port;

    @Autowired
    LeadershipService leadership;

    @Test
    void aBodyConsumedByTheFormFilterIsRefusedNotStoredEmpty() throws Exception {
        await().atMost(Duration.ofSeconds(20)).until(leadership::isLeader);
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> blue = http.send(put("text/plain", "blue"), HttpResponse.BodyHandlers.ofString());
        assertThat(blue.statusCode()).as(blue.body()).isEqualTo(200);

        HttpResponse<String> red =
                http.send(put("application/x-www-form-urlencoded", "red"), HttpResponse.BodyHandlers.ofString());
        assertThat(red.statusCode()).as(red.body()).isEqualTo(415);
        assertThat(red.body()).contains("\"outcomeUnknown\":false");
        // Sent in chunks, without a Content-Length to compare with.
        HttpResponse<String> chunked = http.send(
                HttpRequest.newBuilder(uri())
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .PUT(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofString("red")))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(chunked.statusCode()).as(chunked.body()).isEqualTo(415);
        HttpResponse<String> read =
                http.send(HttpRequest.newBuilder(uri()).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(read.body()).contains("\"value\":\"blue\"");
    }

    private HttpRequest put(String contentType, String body) {
        return HttpRequest.newBuilder(uri())
                .header("Content-Type", contentType)
                .PUT(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    private URI uri() {
        return URI.create("http://127.0.0.1:" + port + "/config/color");
    }
}
