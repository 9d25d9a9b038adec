import { LabIcon } from '@jupyterlab/ui-components';
import projectsSvg from '../style/icons/projects.svg';
import sharedSvg from '../style/icons/shared.svg';

/** The Projects panel's icon: a folder with a share mark. */
export const projectsIcon = new LabIcon({ name: 'jupyterlab-hubshare:projects', svgstr: projectsSvg });

/** The Shared projects browser's icon: a folder with an eye (look, don't touch). */
export const sharedIcon = new LabIcon({ name: 'jupyterlab-hubshare:shared', svgstr: sharedSvg });
