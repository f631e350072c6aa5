//! Recording a run as an animated GIF or a sequence of PNG frames, for slides and course
//! pages. Frames are the window's own pictures; while recording, the run moves a fixed
//! step of simulated time (and of animation) per frame taken, never by wall time, so
//! replaying the same run records the same frames. Frames are scaled and written by a
//! worker thread as they come, so a long recording holds little memory.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender, channel};

use image::{Delay, Frame, RgbaImage, imageops};

/// Frames a second of the recording.
pub const FPS: u32 = 10;
/// Widest frame written, in pixels: wider windows are scaled down.
pub const MAX_WIDTH: u32 = 1_200;
/// Most frames one recording takes (a minute at 10 frames a second).
pub const MAX_FRAMES: usize = 600;

/// What a recording is written as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// One looping animated GIF.
    Gif,
    /// `NAME-0001.png`, `NAME-0002.png`, … beside the chosen file.
    PngFrames,
}

impl Format {
    /// The format a file name asks for.
    pub fn of(path: &Path) -> Format {
        match path.extension().and_then(|e| e.to_str()) {
            Some(e) if e.eq_ignore_ascii_case("png") => Format::PngFrames,
            _ => Format::Gif,
        }
    }
}

/// A recording in progress.
pub struct Recorder {
    /// Where it is written.
    pub path: PathBuf,
    /// Frames taken so far.
    pub taken: usize,
    /// A picture of the window was asked for and has not arrived yet.
    pub awaiting: bool,
    frames: Option<Sender<Arc<egui::ColorImage>>>,
    done: Receiver<Result<usize, String>>,
    /// Pictures of the window as the renderer delivers them.
    arrivals: Receiver<Arc<egui::ColorImage>>,
    arrival: Sender<Arc<egui::ColorImage>>,
}

impl Recorder {
    /// Starts writing a recording to `path` (GIF, or PNG frames for a `.png` name).
    pub fn start(path: PathBuf) -> Recorder {
        let (frames, incoming) = channel::<Arc<egui::ColorImage>>();
        let (finished, done) = channel();
        let target = path.clone();
        std::thread::spawn(move || {
            let _ = finished.send(write(&target, Format::of(&target), incoming));
        });
        let (arrival, arrivals) = channel();
        Recorder {
            path,
            taken: 0,
            awaiting: false,
            frames: Some(frames),
            done,
            arrivals,
            arrival,
        }
    }

    /// Asks the renderer for a picture of the frame being drawn.
    pub fn request(&mut self, ctx: &egui::Context) {
        let arrival = self.arrival.clone();
        ctx.request_screenshot(move |image| {
            let _ = arrival.send(image);
        });
        self.awaiting = true;
    }

    /// Takes the pictures that have arrived; false once the recording is full.
    pub fn collect(&mut self) -> bool {
        let mut room = true;
        while let Ok(image) = self.arrivals.try_recv() {
            room = self.add(image);
        }
        room
    }

    /// Adds a picture of the window; false once the recording is full.
    pub fn add(&mut self, image: Arc<egui::ColorImage>) -> bool {
        self.awaiting = false;
        if self.taken >= MAX_FRAMES {
            return false;
        }
        if let Some(frames) = &self.frames
            && frames.send(image).is_ok()
        {
            self.taken += 1;
        }
        self.taken < MAX_FRAMES
    }

    /// Ends the recording and waits for the file to be written; the frames written.
    pub fn finish(mut self) -> Result<usize, String> {
        self.frames = None;
        self.done
            .recv()
            .map_err(|_| "the recording stopped unexpectedly".to_owned())?
    }
}

/// Writes every frame that arrives until the sender is dropped.
fn write(
    path: &Path,
    format: Format,
    frames: Receiver<Arc<egui::ColorImage>>,
) -> Result<usize, String> {
    let fail = |e: &dyn std::fmt::Display| format!("{}: {e}", path.display());
    let mut written = 0;
    match format {
        Format::Gif => {
            let file = std::fs::File::create(path).map_err(|e| fail(&e))?;
            let mut encoder =
                image::codecs::gif::GifEncoder::new_with_speed(std::io::BufWriter::new(file), 10);
            encoder
                .set_repeat(image::codecs::gif::Repeat::Infinite)
                .map_err(|e| fail(&e))?;
            for image in frames {
                let delay = Delay::from_numer_denom_ms(1_000, FPS);
                encoder
                    .encode_frame(Frame::from_parts(scaled(&image), 0, 0, delay))
                    .map_err(|e| fail(&e))?;
                written += 1;
            }
        }
        Format::PngFrames => {
            for image in frames {
                written += 1;
                let frame_path = png_frame_path(path, written);
                scaled(&image)
                    .save_with_format(&frame_path, image::ImageFormat::Png)
                    .map_err(|e| format!("{}: {e}", frame_path.display()))?;
            }
        }
    }
    Ok(written)
}

/// The file of PNG frame `n` (from 1) of a recording chosen as `path`.
pub fn png_frame_path(path: &Path, n: usize) -> PathBuf {
    let stem = path
        .file_stem()
        .map_or("frame".to_owned(), |s| s.to_string_lossy().into_owned());
    path.with_file_name(format!("{stem}-{n:04}.png"))
}

/// The picture as an RGBA image no wider than `MAX_WIDTH`.
fn scaled(image: &egui::ColorImage) -> RgbaImage {
    let [w, h] = image.size;
    let bytes: Vec<u8> = image.pixels.iter().flat_map(|c| c.to_array()).collect();
    let rgba = RgbaImage::from_raw(w as u32, h as u32, bytes)
        .unwrap_or_else(|| RgbaImage::new(w as u32, h as u32));
    if rgba.width() <= MAX_WIDTH {
        return rgba;
    }
    let height =
        (u64::from(rgba.height()) * u64::from(MAX_WIDTH) / u64::from(rgba.width())).max(1) as u32;
    imageops::resize(&rgba, MAX_WIDTH, height, imageops::FilterType::Triangle)
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::AnimationDecoder;

    fn picture(shade: u8, w: usize, h: usize) -> Arc<egui::ColorImage> {
        Arc::new(egui::ColorImage::new(
            [w, h],
            vec![egui::Color32::from_rgb(shade, 40, 200 - shade); w * h],
        ))
    }

    #[test]
    fn a_gif_holds_every_frame_scaled_to_the_widest_allowed() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("run.gif");
        let mut recorder = Recorder::start(path.clone());
        for shade in [0, 60, 120] {
            assert!(recorder.add(picture(shade, 1_600, 100)));
        }
        assert_eq!(recorder.finish(), Ok(3));
        let file = std::fs::File::open(&path).unwrap_or_else(|e| panic!("{e}"));
        let decoder = image::codecs::gif::GifDecoder::new(std::io::BufReader::new(file))
            .unwrap_or_else(|e| panic!("{e}"));
        let frames = decoder
            .into_frames()
            .collect_frames()
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(frames.len(), 3);
        assert_eq!(frames[0].buffer().dimensions(), (MAX_WIDTH, 75));
        assert_eq!(frames[0].delay().numer_denom_ms(), (100, 1));
    }

    #[test]
    fn png_frames_are_numbered_beside_the_chosen_name() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("lesson.png");
        let mut recorder = Recorder::start(path.clone());
        recorder.add(picture(10, 40, 30));
        recorder.add(picture(90, 40, 30));
        assert_eq!(recorder.finish(), Ok(2));
        let second = image::open(dir.path().join("lesson-0002.png"))
            .unwrap_or_else(|e| panic!("{e}"))
            .to_rgba8();
        assert_eq!(second.dimensions(), (40, 30));
        assert_eq!(second.get_pixel(0, 0).0, [90, 40, 110, 255]);
    }

    #[test]
    fn an_unwritable_place_says_where() {
        let recorder = Recorder::start(PathBuf::from("/nonexistent-dir/run.gif"));
        let error = recorder.finish().err().unwrap_or_default();
        assert!(error.starts_with("/nonexistent-dir/run.gif: "), "{error}");
    }
}
