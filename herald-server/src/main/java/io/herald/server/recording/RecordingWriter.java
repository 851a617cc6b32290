package io.herald.server.recording;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Appends the recording's lines, each flushed to the operating system as soon as it is written, so a recorder that
 * is killed loses at most the line it was writing. Thread-safe.
 */
final class RecordingWriter implements AutoCloseable {
    private final Path file;
    private final BufferedWriter out;
    private boolean closed;

    private RecordingWriter(Path file, BufferedWriter out) {
        this.file = file;
        this.out = out;
    }

    /** Creates the file (replacing an existing one only when {@code overwrite}) and writes the header. */
    static RecordingWriter create(Path file, boolean overwrite, ObjectNode header) throws RecordingException {
        StandardOpenOption mode = overwrite ? StandardOpenOption.TRUNCATE_EXISTING : StandardOpenOption.CREATE_NEW;
        try {
            BufferedWriter w = overwrite
                    ? Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, mode)
                    : Files.newBufferedWriter(file, StandardCharsets.UTF_8, mode);
            RecordingWriter writer = new RecordingWriter(file, w);
            writer.write(header);
            return writer;
        } catch (FileAlreadyExistsException e) {
            throw new RecordingException(RecordingException.FILE, file + " exists already (--force replaces it)");
        } catch (IOException e) {
            throw new RecordingException(RecordingException.FILE, file + ": cannot write it: " + e, e);
        }
    }

    synchronized void write(ObjectNode line) throws RecordingException {
        if (closed) {
            return;
        }
        try {
            out.write(RecordingFile.JSON.writeValueAsString(line));
            out.write('\n');
            out.flush();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree that does not serialize", e);
        } catch (IOException e) {
            throw new RecordingException(RecordingException.FILE, file + ": cannot write it: " + e, e);
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            out.close();
        } catch (IOException e) {
            // every line was flushed when written: nothing is lost by a failing close
        }
    }
}
