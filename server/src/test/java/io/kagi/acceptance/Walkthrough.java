package io.kagi.acceptance;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.ScreenshotScale;
import io.kagi.test.Browser;

/**
 * The record of one walk: a screenshot (or a text, for what has no screen) per step, numbered in
 * order. Screenshots go to {@code target/screenshots/<name>/NN-<step>.png} as they are taken;
 * {@link #publish} — called once the whole walk has passed — copies them to {@code <docs>/<name>/}
 * and writes {@code <docs>/<name>.md}, so the document always shows a walk that passed. The
 * {@code <docs>} folder is {@code target/docs} in an ordinary build (which leaves the repository
 * as it was) and the repository's {@code docs/} under {@code ./mvnw -Pdocs verify} (system
 * property {@code kagi.docs.write=true}).
 */
final class Walkthrough {

    private final String name;
    private final String title;
    private final String introduction;
    private final Path screenshots;
    private final List<Step> steps = new ArrayList<>();

    /** One step: the seed's section, who acts where and what they do, and its image or text. */
    record Step(String section, String line, String image, String text) {
    }

    Walkthrough(String name, String title, String introduction) {
        this.name = name;
        this.title = title;
        this.introduction = introduction;
        this.screenshots = Browser.SCREENSHOTS.resolve(name);
        try {
            Files.createDirectories(screenshots);
            deletePngs(screenshots);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Saves what {@code page} shows now (the viewport, in CSS pixels) as the next step.
     *
     * @param section the seed's section, e.g. {@code "4–6"}
     * @param step    a short file-name word, e.g. {@code "login"}
     * @param line    what the customer does and sees, in one line
     */
    void screenshot(Page page, String section, String step, String line) {
        screenshot(page, section, step, line, false);
    }

    /** As {@link #screenshot(Page, String, String, String)}, of the whole page where {@code fullPage}. */
    void screenshot(Page page, String section, String step, String line, boolean fullPage) {
        String file = "%02d-%s.png".formatted(steps.size() + 1, step);
        byte[] png = page.screenshot(new Page.ScreenshotOptions().setScale(ScreenshotScale.CSS).setFullPage(fullPage));
        try {
            Files.write(screenshots.resolve(file), recompressed(png));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        steps.add(new Step(section, line, file, null));
    }

    /** The same pixels as a PNG at the strongest deflate level: about a quarter smaller than Chromium's (they are committed). */
    private static byte[] recompressed(byte[] png) throws IOException {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
        ImageWriteParam parameters = writer.getDefaultWriteParam();
        parameters.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        parameters.setCompressionQuality(0f);
        ByteArrayOutputStream out = new ByteArrayOutputStream(png.length);
        try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(stream);
            writer.write(null, new IIOImage(image, null, null), parameters);
        } finally {
            writer.dispose();
        }
        return out.size() < png.length ? out.toByteArray() : png;
    }

    /** A step without a screen (a console, a mail read by the test, an API call): its text. */
    void text(String section, String line, String text) {
        steps.add(new Step(section, line, null, text.stripTrailing()));
    }

    List<Step> steps() {
        return List.copyOf(steps);
    }

    /** Copies the screenshots to {@code <docs>/<name>/} (replacing earlier ones) and rewrites {@code <docs>/<name>.md}. */
    void publish() {
        Path docs = Boolean.getBoolean("kagi.docs.write") ? repositoryDocs() : Path.of("target", "docs");
        Path images = docs.resolve(name);
        StringBuilder markdown = new StringBuilder();
        markdown.append("# ").append(title).append("\n\n");
        markdown.append(introduction.strip()).append("\n\n");
        markdown.append("<!-- Generated by the test; do not edit by hand: run the test to regenerate. -->\n");
        int number = 0;
        for (Step step : steps) {
            number++;
            markdown.append("\n### ").append("%02d".formatted(number)).append(" · §").append(step.section())
                    .append(" — ").append(step.line()).append("\n\n");
            if (step.image() != null) {
                markdown.append("![§").append(step.section()).append(" ").append(step.image()).append("](")
                        .append(name).append('/').append(step.image()).append(")\n");
            } else {
                markdown.append("```text\n").append(step.text()).append("\n```\n");
            }
        }
        try {
            Files.createDirectories(images);
            deletePngs(images);
            for (Step step : steps) {
                if (step.image() != null) {
                    Files.copy(screenshots.resolve(step.image()), images.resolve(step.image()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            Files.writeString(docs.resolve(name + ".md"), markdown, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The repository's {@code docs/}, found from the server module's directory (where the build runs the tests). */
    static Path repositoryDocs() {
        Path module = Path.of("").toAbsolutePath();
        Path docs = module.getParent().resolve("docs");
        if (!Files.isRegularFile(module.getParent().resolve("README.md")) || !Files.isDirectory(docs)) {
            throw new IllegalStateException("Run the walkthrough from the server module (no ../docs next to ../README.md from " + module + ")");
        }
        return docs;
    }

    private static void deletePngs(Path directory) throws IOException {
        try (DirectoryStream<Path> pngs = Files.newDirectoryStream(directory, "*.png")) {
            for (Path png : pngs) {
                Files.delete(png);
            }
        }
    }
}
